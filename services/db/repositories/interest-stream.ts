import { sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { rowsOf } from '../rows.js'
import { interests, subscribers } from '../schema/index.js'

// Building a worker's index reads the interest lines of every active subscriber: millions of
// rows, but a few hundred thousand distinct lines, since people write the same keywords. The
// database removes the duplicates and the lines come back through a cursor, a batch at a
// time with the next batch already requested, so memory stays flat however many there are.

const BATCH = 10_000

/**
 * Calls `onLine` once for each distinct interest line of the active subscribers, in no
 * particular order. Returns how many lines it streamed.
 */
export async function streamActiveInterestLines(
  db: Database,
  onLine: (line: string) => void,
): Promise<number> {
  return db.transaction(async (tx) => {
    // Enough for the de-duplication to stay in memory up to about a million distinct lines.
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`)
    await tx.execute(sql`DECLARE active_lines NO SCROLL CURSOR FOR
      SELECT DISTINCT i.query FROM ${interests} i
      JOIN ${subscribers} s ON s.id = i.subscriber_id AND s.status = 'active'`)
    const fetchBatch = async (): Promise<string[]> => {
      const result = await tx.execute(sql.raw(`FETCH ${BATCH} FROM active_lines`))
      return rowsOf<{ query: string }>(result).map((r) => r.query)
    }
    let count = 0
    let next = fetchBatch()
    for (;;) {
      const batch = await next
      if (batch.length === BATCH) next = fetchBatch()
      for (const line of batch) onLine(line)
      count += batch.length
      if (batch.length < BATCH) return count
    }
  })
}
