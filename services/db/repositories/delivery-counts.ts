import { sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { rowsOf } from '../rows.js'

export interface DeliveryCounts {
  /** Digest rows per status: pending, sending, sent, empty, uncertain, failed. */
  readonly digests: Record<string, number>
  /** Addresses that bounced: nothing is sent to them any more. */
  readonly suppressed: number
}

/**
 * One statement, for a scrape: digests by status and suppressed addresses. Counting digests
 * reads the table (no index on status, see migration 0006): a few tens of milliseconds per
 * million rows, once per scrape.
 */
export async function countDeliveries(db: Database): Promise<DeliveryCounts> {
  const result = await db.execute(sql`
    SELECT 'digest' AS kind, status::text AS status, count(*) AS count FROM digests GROUP BY status
    UNION ALL
    SELECT 'subscriber', 'bounced', count(*) FROM subscribers WHERE status = 'bounced'`)
  const digests: Record<string, number> = {}
  let suppressed = 0
  for (const row of rowsOf<{ kind: string; status: string; count: string | number }>(result)) {
    if (row.kind === 'digest') digests[row.status] = Number(row.count)
    else suppressed = Number(row.count)
  }
  return { digests, suppressed }
}
