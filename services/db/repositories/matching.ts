import { and, asc, eq, gte, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { affectedRowsOf, rowsOf } from '../rows.js'
import {
  interests,
  lineMatches,
  papers,
  type StoredReason,
  subscribers,
  topicInterests,
  topicMatches,
  topics,
} from '../schema/index.js'

/** Topic slug → its interest lines, in order; a retired topic has none (it matches nothing). */
export async function topicLines(db: Database): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ topicSlug: topicInterests.topicSlug, query: topicInterests.query })
    .from(topicInterests)
    .innerJoin(topics, eq(topics.slug, topicInterests.topicSlug))
    .where(isNull(topics.retiredAt))
    .orderBy(asc(topicInterests.topicSlug), asc(topicInterests.position))
  const lines = new Map<string, string[]>()
  for (const row of rows) lines.set(row.topicSlug, [...(lines.get(row.topicSlug) ?? []), row.query])
  return lines
}

/**
 * The newest change to a subscriber's row (status, preferences), at or after `since` when
 * given. The application stamps `updated_at` with its clock when it changes either.
 */
export async function latestSubscriberChange(
  db: Database,
  since?: Date,
): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<string | null>`max(${subscribers.updatedAt})` })
    .from(subscribers)
    .where(since === undefined ? undefined : gte(subscribers.updatedAt, since))
  return row?.at ? new Date(row.at) : undefined
}

/**
 * The distinct interest lines of the active subscribers changed at or after `since`: what a
 * worker adds to its index before a batch. Selected in the database, so that a bulk change
 * to many subscribers is one query, not a list of their ids.
 */
export async function activeLinesChangedSince(db: Database, since: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ query: interests.query })
    .from(interests)
    .innerJoin(subscribers, eq(subscribers.id, interests.subscriberId))
    .where(and(eq(subscribers.status, 'active'), gte(subscribers.updatedAt, since)))
  return rows.map((r) => r.query)
}

export interface NewLineMatch {
  readonly line: string
  readonly paperId: string
  readonly words: readonly string[]
}

/**
 * Records line matches, once per (interest line, paper). Which subscribers get them is decided
 * when each one's digest is claimed, from the lines they have then.
 */
export function saveLineMatches(
  db: Database,
  rows: readonly NewLineMatch[],
  now: Date,
): Promise<number> {
  return insertNew(
    db,
    rows.map((r) => ({ line: r.line, paper_id: r.paperId, words: r.words })),
    (json) => sql`
      INSERT INTO ${lineMatches} (line, paper_id, words, matched_at)
      SELECT m.line, m.paper_id, m.words, ${now.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS m(line text, paper_id text, words jsonb)
      ON CONFLICT DO NOTHING
      RETURNING 1`,
  )
}

export interface NewTopicMatch {
  readonly topicSlug: string
  readonly paperId: string
  readonly reasons: StoredReason[]
}

/** Records topic matches, once per (topic, paper); a topic deleted meanwhile gets none. */
export function saveTopicMatches(
  db: Database,
  rows: readonly NewTopicMatch[],
  now: Date,
): Promise<number> {
  return insertNew(
    db,
    rows.map((r) => ({ topic_slug: r.topicSlug, paper_id: r.paperId, reasons: r.reasons })),
    (json) => sql`
      INSERT INTO ${topicMatches} (topic_slug, paper_id, reasons, matched_at)
      SELECT m.topic_slug, m.paper_id, m.reasons, ${now.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS m(topic_slug text, paper_id text, reasons jsonb)
      JOIN ${topics} t ON t.slug = m.topic_slug
      ON CONFLICT DO NOTHING
      RETURNING 1`,
  )
}

/** Rows per statement: a batch of papers can match tens of thousands of lines. */
const INSERT_CHUNK = 2_000

/**
 * Runs `insert` over the rows a chunk at a time, each chunk one JSON parameter (a parameter
 * per value would reach PostgreSQL's 65,535 soon). `insert` returns a row per row it stored;
 * the total is how many were new.
 */
async function insertNew(
  db: Database,
  rows: readonly object[],
  insert: (json: string) => SQL,
): Promise<number> {
  let saved = 0
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db.execute(insert(JSON.stringify(rows.slice(i, i + INSERT_CHUNK))))
    saved += rowsOf(result).length
  }
  return saved
}

export async function markMatched(db: Database, paperIds: readonly string[]): Promise<void> {
  if (paperIds.length === 0) return
  await db
    .update(papers)
    .set({ matchState: 'matched' })
    .where(and(inArray(papers.id, [...paperIds]), eq(papers.matchState, 'pending')))
}

/**
 * Deletes line and topic matches recorded before `before`, a batch at a time so that no
 * statement holds locks for long. Matches a digest has claimed live on in `matches`.
 */
export async function pruneMatches(
  db: Database,
  before: Date,
  batch = 10_000,
): Promise<{ lines: number; topics: number }> {
  const pruned = { lines: 0, topics: 0 }
  for (const [table, key] of [
    [lineMatches, 'lines'],
    [topicMatches, 'topics'],
  ] as const) {
    for (;;) {
      const result = await db.execute(sql`
        DELETE FROM ${table} WHERE ctid IN (
          SELECT ctid FROM ${table} WHERE matched_at < ${before.toISOString()}::timestamptz
          LIMIT ${batch})`)
      const deleted = affectedRowsOf(result)
      pruned[key] += deleted
      if (deleted < batch) break
    }
  }
  return pruned
}
