import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { claimDigest, openDigestFor } from '../../../services/db/repositories/digest-delivery.js'
import { deliveryEnvironment } from '../../helpers/delivery-environment.js'
import { readFixture } from '../../helpers/fixtures.js'
import { ingestMatched, subscribeConfirmed } from '../../helpers/flows.js'
import { topicMatchAt } from '../../helpers/topic-matches.js'

// Two digests of one subscriber claimed at once, from two connections: only a server has them.

const ADMIN_TOKEN = 'admin-token-for-claim-race-tests'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('claim_race', { adminToken: ADMIN_TOKEN, now: () => clock })
const db = () => env.runtime.database.db

describe('topic matches', () => {
  it('survive a claim racing a write of the same paper: no error, no second copy', async () => {
    await ingestMatched(env.runtime, ADMIN_TOKEN, readFixture('hf-daily-papers-2026-06-12.json'))
    clock = new Date('2026-06-28T06:00:00Z')
    const wes = await subscribeConfirmed(env.runtime, env.smtp, 'wes@example.org', {
      topics: ['ai-safety'],
      hour: 8,
    })
    const paperId = await topicMatchAt(db(), new Date('2026-06-29T06:00:00Z'))
    clock = new Date('2026-06-30T06:00:00Z')
    const opened = await openDigestFor(db(), wes, 'race-1', true)
    // Another writer (a claim of another digest of wes) holds an uncommitted row for that paper.
    const writer = new pg.Client({ connectionString: env.database.url })
    await writer.connect()
    try {
      await writer.query('BEGIN')
      await writer.query(
        `INSERT INTO matches (subscriber_id, paper_id, reasons) VALUES ($1, $2, '[]'::jsonb)`,
        [wes, paperId],
      )
      const claiming = claimDigest(db(), { id: opened?.digest?.id ?? 0 }, clock)
      await new Promise((resolve) => setTimeout(resolve, 200))
      await writer.query('COMMIT')
      expect((await claiming).kind).toBe('empty')
    } finally {
      await writer.end()
    }
    const next = await openDigestFor(db(), wes, 'race-2', true)
    const claimed = await claimDigest(db(), { id: next?.digest?.id ?? 0 }, clock)
    expect(claimed.kind === 'sending' && claimed.content.map((c) => c.paper.id)).toEqual([paperId])
  })
})
