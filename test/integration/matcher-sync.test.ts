import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { lineMatches } from '../../services/db/schema/index.js'
import { createLogger } from '../../services/logger.js'
import { Matcher } from '../../services/usecases/matcher.js'
import { migratedTestDatabase } from '../helpers/database.js'

// A worker's index follows changes made outside the application too: an operator's bulk
// import stamps every row with one instant, and the worker must take all of them in, batch
// after batch, however many there are.

const handle = migratedTestDatabase('matcher_sync')
const matcher = () => new Matcher(handle.db, createLogger('silent'), () => new Date())

async function addPaper(id: string, title: string): Promise<void> {
  await handle.db.execute(sql`
    INSERT INTO papers (id, title, abstract, authors, categories, first_seen_at, match_state)
    VALUES (${id}, ${title}, 'An abstract.', ARRAY['A. Author'], ARRAY['cs.LG'], now(), 'pending')`)
}

const matchedLines = async (paperId: string) =>
  (
    await handle.db
      .select({ line: lineMatches.line })
      .from(lineMatches)
      .where(eq(lineMatches.paperId, paperId))
  ).map((r) => r.line)

describe('the worker’s index', () => {
  it('takes in 70,000 subscribers imported in one statement, and keeps working after', async () => {
    const worker = matcher()
    await worker.matchPapers([])
    // More subscribers than PostgreSQL takes parameters in one statement (65,535).
    await handle.db.execute(sql`
      INSERT INTO subscribers (email, status)
      SELECT 'r' || i || '@bulk.example', 'active' FROM generate_series(1, 70000) i`)
    await handle.db.execute(sql`
      INSERT INTO interests (subscriber_id, position, query)
      SELECT id, 0, CASE WHEN id % 2 = 0 THEN 'sparse autoencoders' ELSE 'graph neural' END
      FROM subscribers`)

    await addPaper('bulk.1', 'Sparse autoencoders for graph neural networks')
    await worker.matchPapers(['bulk.1'])
    expect((await matchedLines('bulk.1')).sort()).toEqual(['graph neural', 'sparse autoencoders'])

    // The import's instant is the watermark now: the next batches read it again and go on.
    await addPaper('bulk.2', 'More sparse autoencoders')
    await worker.matchPapers(['bulk.2'])
    await worker.matchPapers([])
    expect(await matchedLines('bulk.2')).toEqual(['sparse autoencoders'])
  })
})
