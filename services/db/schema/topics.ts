import { boolean, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * A named, curated set of interests; `builtIn` topics (trending) are computed, not matched.
 * An operator may add, edit and retire topics: a retired one (`retiredAt` set) is offered to
 * nobody and matches nothing, but keeps its row so its followers' past matches still have a name.
 */
export const topics = pgTable('topics', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  builtIn: boolean('built_in').notNull().default(false),
  position: smallint('position').notNull().default(0),
  /** Stamped by the application at every change an operator makes, and shown to operators. */
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})

export const topicInterests = pgTable(
  'topic_interests',
  {
    topicSlug: text('topic_slug')
      .notNull()
      .references(() => topics.slug, { onDelete: 'cascade', onUpdate: 'cascade' }),
    position: smallint('position').notNull(),
    query: text('query').notNull(),
  },
  (t) => [primaryKey({ columns: [t.topicSlug, t.position] })],
)
