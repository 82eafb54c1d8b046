import { sql } from 'drizzle-orm'
import { index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * `pending`: stored, waiting for the matcher. `matched`: the matcher has seen it.
 * `skipped`: stored without delivery (backfills with --no-deliver, replacements of old papers).
 */
export const matchState = pgEnum('match_state', ['pending', 'matched', 'skipped'])

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })
const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`)

/** One row per paper, keyed by its arXiv id without version; every source that mentioned it merges into it. */
export const papers = pgTable(
  'papers',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    abstract: text('abstract').notNull(),
    authors: textList('authors'),
    categories: textList('categories'),
    publishedAt: at('published_at'),
    sourceUpdatedAt: at('source_updated_at'),
    url: text('url'),
    upvotes: integer('upvotes'),
    organization: text('organization'),
    /** An https image of the paper (Hugging Face's social thumbnail); shown on digest cards. */
    thumbnailUrl: text('thumbnail_url'),
    aiKeywords: textList('ai_keywords'),
    aiSummary: text('ai_summary'),
    version: integer('version'),
    sources: textList('sources'),
    /** What makes a paper "new" for delivery: when Paperboy first stored it, not when it was published. */
    firstSeenAt: at('first_seen_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    matchState: matchState('match_state').notNull().default('pending'),
  },
  (t) => [
    index('papers_first_seen_idx').on(t.firstSeenAt.desc(), t.id),
    index('papers_pending_idx').on(t.firstSeenAt).where(sql`${t.matchState} = 'pending'`),
  ],
)
