import type pg from 'pg'
import { type InterestGenerator, TOPICS } from './interests.js'

// Subscribers in the bench database, in the application's own tables (its migrations made
// them, its seed topics fill `topics`), read back by the worker's own loader.

const BATCH = 20_000

export const INTERESTS_PER_SUBSCRIBER = 5

export interface Written {
  interests: number
  follows: number
  /** Lines the followed topics add up to, as if each were a subscriber's own. */
  topicLines: number
}

/** Generates `count` active subscribers (ids 1…count) into the database. */
export async function writeSubscribers(
  client: pg.Client,
  generator: InterestGenerator,
  count: number,
): Promise<Written> {
  const linesOf = new Map(TOPICS.map((t) => [t.slug, t.interests.length]))
  let interests = 0
  let follows = 0
  let topicLinesFollowed = 0
  let inFlight: Promise<unknown> = Promise.resolve()
  for (let first = 1; first <= count; first += BATCH) {
    const ids: number[] = []
    const owners: number[] = []
    const positions: number[] = []
    const lines: string[] = []
    const followers: number[] = []
    const slugs: string[] = []
    for (let id = first; id < Math.min(first + BATCH, count + 1); id++) {
      ids.push(id)
      generator.lines(INTERESTS_PER_SUBSCRIBER).forEach((line, position) => {
        owners.push(id)
        positions.push(position)
        lines.push(line)
      })
      for (const slug of generator.topics()) {
        followers.push(id)
        slugs.push(slug)
        topicLinesFollowed += linesOf.get(slug) ?? 0
      }
    }
    interests += lines.length
    follows += followers.length
    // The next batch is generated while this one is written; rows reference the subscribers.
    await inFlight
    await client.query(
      `INSERT INTO subscribers (id, email, status, confirmed_at) OVERRIDING SYSTEM VALUE
       SELECT i, 'reader' || i || '@bench.example', 'active', now() FROM unnest($1::bigint[]) i`,
      [ids],
    )
    inFlight = Promise.all([
      client.query(
        `INSERT INTO interests (subscriber_id, position, query)
         SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[])`,
        [owners, positions, lines],
      ),
      client.query(
        `INSERT INTO subscriber_topics (subscriber_id, topic_slug)
         SELECT * FROM unnest($1::bigint[], $2::text[])`,
        [followers, slugs],
      ),
    ])
  }
  await inFlight
  await client.query('ANALYZE subscribers; ANALYZE interests; ANALYZE subscriber_topics')
  return { interests, follows, topicLines: topicLinesFollowed }
}

/** The first `count` subscribers with their own lines and their topics' lines, for baselines. */
export async function sampleSubscribers(
  client: pg.Client,
  count: number,
): Promise<{ id: number; lines: string[] }[]> {
  const { rows } = await client.query<{ id: number; lines: string[] }>(
    `SELECT s.id, array_cat(
       ARRAY(SELECT query FROM interests i WHERE i.subscriber_id = s.id ORDER BY position),
       ARRAY(SELECT t.query FROM subscriber_topics f
             JOIN topic_interests t ON t.topic_slug = f.topic_slug
             WHERE f.subscriber_id = s.id ORDER BY t.topic_slug, t.position)) AS lines
     FROM subscribers s ORDER BY s.id LIMIT $1`,
    [count],
  )
  return rows
}

/**
 * How many subscribers hold each line, as their own or through a topic: what each (line,
 * paper) match stands for once subscribers are joined.
 */
export async function lineHolders(
  client: pg.Client,
): Promise<{ lines: Map<string, number>; topics: Map<string, number> }> {
  const [own, followed] = await Promise.all([
    client.query<{ line: string; n: number }>(
      'SELECT query AS line, count(*)::int AS n FROM interests GROUP BY query',
    ),
    client.query<{ slug: string; n: number }>(
      'SELECT topic_slug AS slug, count(*)::int AS n FROM subscriber_topics GROUP BY topic_slug',
    ),
  ])
  return {
    lines: new Map(own.rows.map((r) => [r.line, r.n])),
    topics: new Map(followed.rows.map((r) => [r.slug, r.n])),
  }
}
