import type pg from 'pg'
import type { InterestSource } from '../services/domain/matching/index.js'
import { CursorReader, insertColumns } from './bench-db.js'
import { type InterestGenerator, TOPICS } from './interests.js'

// Subscribers in the bench database, in tables shaped like the application's: one row per
// interest line, one per followed topic, and the topics' lines.

const SCHEMA = `
  CREATE UNLOGGED TABLE interests (subscriber_id bigint NOT NULL, interest_id bigint NOT NULL, line text NOT NULL);
  CREATE UNLOGGED TABLE subscriber_topics (subscriber_id bigint NOT NULL, slug text NOT NULL);
  CREATE TABLE topic_lines (slug text NOT NULL, position int NOT NULL, line text NOT NULL);
`
const INDEXES = `
  CREATE INDEX ON interests (subscriber_id, interest_id);
  CREATE INDEX ON subscriber_topics (subscriber_id, slug);
  ANALYZE interests;
  ANALYZE subscriber_topics;
`
const BATCH = 20_000
const FETCH = 5_000

export const INTERESTS_PER_SUBSCRIBER = 5

export interface Written {
  interests: number
  follows: number
  /** Lines the followed topics add up to, as if each were a subscriber's own. */
  topicLines: number
}

/** Generates `count` subscribers into the database. */
export async function writeSubscribers(
  client: pg.Client,
  generator: InterestGenerator,
  count: number,
): Promise<Written> {
  await client.query(SCHEMA)
  const topicRows = TOPICS.flatMap((t) => t.interests.map((line, i) => [t.slug, i, line] as const))
  await insertColumns(
    client,
    'topic_lines',
    [
      ['slug', 'text'],
      ['position', 'int'],
      ['line', 'text'],
    ],
    [topicRows.map((r) => r[0]), topicRows.map((r) => r[1]), topicRows.map((r) => r[2])],
  )
  const linesOf = new Map(TOPICS.map((t) => [t.slug, t.interests.length]))
  let interestId = 0
  let follows = 0
  let topicLines = 0
  let inFlight: Promise<unknown> = Promise.resolve()
  for (let first = 1; first <= count; first += BATCH) {
    const ids: number[] = []
    const interestIds: number[] = []
    const lines: string[] = []
    const followers: number[] = []
    const slugs: string[] = []
    for (let id = first; id < Math.min(first + BATCH, count + 1); id++) {
      for (const line of generator.lines(INTERESTS_PER_SUBSCRIBER)) {
        ids.push(id)
        interestIds.push(++interestId)
        lines.push(line)
      }
      for (const slug of generator.topics()) {
        followers.push(id)
        slugs.push(slug)
        topicLines += linesOf.get(slug) ?? 0
      }
    }
    follows += followers.length
    // The next batch is generated while this one is written.
    await inFlight
    inFlight = Promise.all([
      insertColumns(
        client,
        'interests',
        [
          ['subscriber_id', 'bigint'],
          ['interest_id', 'bigint'],
          ['line', 'text'],
        ],
        [ids, interestIds, lines],
      ),
      insertColumns(
        client,
        'subscriber_topics',
        [
          ['subscriber_id', 'bigint'],
          ['slug', 'text'],
        ],
        [followers, slugs],
      ),
    ])
  }
  await inFlight
  await client.query(INDEXES)
  return { interests: interestId, follows, topicLines }
}

export interface StreamStats {
  subscribers: number
  rows: number
  /** Time spent waiting for the database rather than indexing, in ms. */
  waited: number
}

/**
 * Streams every subscriber with all its interest and topic lines, in subscriber order: two
 * cursors (own interests, followed topics), both ordered by subscriber and aggregated to one
 * row per subscriber, merged as they arrive. One row per subscriber rather than per interest
 * cuts the rows the driver parses fivefold; a line cannot hold a line break, so it separates.
 */
export async function streamSubscribers(
  client: pg.Client,
  onSubscriber: (subscriberId: number, sources: InterestSource[]) => void,
  onBatch: () => void = () => {},
): Promise<StreamStats> {
  const topicLines = new Map<string, InterestSource[]>()
  const { rows } = await client.query<{ slug: string; line: string }>(
    'SELECT slug, line FROM topic_lines ORDER BY slug, position',
  )
  for (const { slug, line } of rows) {
    const list = topicLines.get(slug) ?? []
    list.push({ kind: 'topic', slug, line })
    topicLines.set(slug, list)
  }

  await client.query('BEGIN')
  await client.query(`DECLARE own NO SCROLL CURSOR FOR
    SELECT subscriber_id, string_agg(interest_id::text, ',' ORDER BY interest_id),
      string_agg(line, E'\n' ORDER BY interest_id)
    FROM interests GROUP BY subscriber_id ORDER BY subscriber_id`)
  await client.query(`DECLARE follows NO SCROLL CURSOR FOR
    SELECT subscriber_id, string_agg(slug, ',') FROM subscriber_topics
    GROUP BY subscriber_id ORDER BY subscriber_id`)
  const own = new CursorReader(client, 'own', FETCH)
  const followed = new CursorReader(client, 'follows', FETCH)
  const stats: StreamStats = { subscribers: 0, rows: 0, waited: 0 }
  // Only called at the end of a batch: an await per row would cost more than the row.
  const refill = async (reader: CursorReader): Promise<unknown[] | undefined> => {
    if (!(await reader.refill())) return undefined
    onBatch()
    return reader.current()
  }
  try {
    for (;;) {
      const a = own.current() ?? (await refill(own))
      const b = followed.current() ?? (await refill(followed))
      if (a === undefined && b === undefined) break
      const id = Math.min((a?.[0] as number) ?? Infinity, (b?.[0] as number) ?? Infinity)
      const sources: InterestSource[] = []
      if (a?.[0] === id) {
        const ids = (a[1] as string).split(',')
        const lines = (a[2] as string).split('\n')
        lines.forEach((line, i) => {
          sources.push({ kind: 'interest', interestId: Number(ids[i]), line })
        })
        own.advance()
        stats.rows++
      }
      if (b?.[0] === id) {
        for (const slug of (b[1] as string).split(',')) {
          for (const source of topicLines.get(slug) ?? []) sources.push(source)
        }
        followed.advance()
        stats.rows++
      }
      onSubscriber(id, sources)
      stats.subscribers++
    }
  } finally {
    await client.query('COMMIT')
  }
  stats.waited = own.waited + followed.waited
  return stats
}
