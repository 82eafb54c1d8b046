import { desc, eq, gte, inArray, sql } from 'drizzle-orm'
import type { IncomingPaper, SourceName } from '../../domain/papers/incoming.js'
import { planIngest, type StoredPaper } from '../../domain/papers/merge.js'
import type { Database } from '../client.js'
import { papers } from '../schema/index.js'

export interface StoreResult {
  readonly inserted: readonly string[]
  /** The inserted papers that go to the matcher (not backfills, not replacements of old papers). */
  readonly toMatch: readonly string[]
  readonly updated: readonly string[]
  readonly unchanged: readonly string[]
}

export interface PaperRow extends StoredPaper {
  readonly firstSeenAt: Date
  readonly updatedAt: Date
  readonly matchState: 'pending' | 'matched' | 'skipped'
}

/** Any constant; serialises concurrent ingests so two runs cannot both insert the same new paper. */
const INGEST_LOCK_KEY = 7_351_092_119
const LOOKUP_CHUNK = 1_000

/**
 * Stores one batch in one transaction: new papers inserted, changed ones updated, unchanged
 * ones untouched. Either the whole batch is stored or none of it.
 */
export async function storeBatch(
  db: Database,
  batch: readonly IncomingPaper[],
  options: { deliver: boolean; now: Date },
): Promise<StoreResult> {
  if (batch.length === 0) return { inserted: [], toMatch: [], updated: [], unchanged: [] }
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK_KEY})`)
    const stored = new Map<string, StoredPaper>()
    const ids = [...new Set(batch.map((p) => p.id))]
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const rows = await tx
        .select()
        .from(papers)
        .where(inArray(papers.id, ids.slice(i, i + LOOKUP_CHUNK)))
      for (const row of rows) stored.set(row.id, toStored(row))
    }
    const plan = planIngest(stored, batch, options)
    const now = options.now
    for (let i = 0; i < plan.inserts.length; i += 500) {
      await tx.insert(papers).values(
        plan.inserts.slice(i, i + 500).map(({ paper, deliver }) => ({
          ...columns(paper),
          firstSeenAt: now,
          updatedAt: now,
          matchState: deliver ? ('pending' as const) : ('skipped' as const),
        })),
      )
    }
    for (const paper of plan.updates) {
      await tx
        .update(papers)
        .set({ ...columns(paper), updatedAt: now })
        .where(eq(papers.id, paper.id))
    }
    return {
      inserted: plan.inserts.map((i) => i.paper.id),
      toMatch: plan.inserts.filter((i) => i.deliver).map((i) => i.paper.id),
      updated: plan.updates.map((p) => p.id),
      unchanged: plan.unchanged,
    }
  })
}

/** Papers first stored at or after `since`, newest first; ties broken by id for stable pages. */
export async function listPapers(
  db: Database,
  options: { since: Date | undefined; limit: number },
): Promise<PaperRow[]> {
  const rows = await db
    .select()
    .from(papers)
    .where(options.since ? gte(papers.firstSeenAt, options.since) : undefined)
    .orderBy(desc(papers.firstSeenAt), desc(papers.id))
    .limit(options.limit)
  return rows.map((row) => ({
    ...toStored(row),
    firstSeenAt: row.firstSeenAt,
    updatedAt: row.updatedAt,
    matchState: row.matchState,
  }))
}

export async function findPapers(db: Database, ids: readonly string[]): Promise<PaperRow[]> {
  if (ids.length === 0) return []
  const rows = await db
    .select()
    .from(papers)
    .where(inArray(papers.id, [...ids]))
  return rows.map((row) => ({
    ...toStored(row),
    firstSeenAt: row.firstSeenAt,
    updatedAt: row.updatedAt,
    matchState: row.matchState,
  }))
}

function columns(p: StoredPaper) {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: [...p.authors],
    categories: [...p.categories],
    publishedAt: p.publishedAt,
    sourceUpdatedAt: p.sourceUpdatedAt,
    url: p.url,
    upvotes: p.upvotes,
    organization: p.organization,
    thumbnailUrl: p.thumbnailUrl,
    aiKeywords: [...p.aiKeywords],
    aiSummary: p.aiSummary,
    version: p.version,
    sources: [...p.sources],
  }
}

function toStored(row: typeof papers.$inferSelect): StoredPaper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: row.authors,
    categories: row.categories,
    publishedAt: row.publishedAt,
    sourceUpdatedAt: row.sourceUpdatedAt,
    url: row.url,
    upvotes: row.upvotes,
    organization: row.organization,
    thumbnailUrl: row.thumbnailUrl,
    aiKeywords: row.aiKeywords,
    aiSummary: row.aiSummary,
    version: row.version,
    sources: row.sources as SourceName[],
  }
}

/** The most recently stored papers' text, for estimating how common each word is. */
export async function recentPaperTexts(db: Database, limit: number) {
  return db
    .select({
      title: papers.title,
      abstract: papers.abstract,
      authors: papers.authors,
      categories: papers.categories,
    })
    .from(papers)
    .orderBy(desc(papers.firstSeenAt))
    .limit(limit)
}
