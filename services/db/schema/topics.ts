import { boolean, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core'

/** A named, curated set of interests; `builtIn` topics (trending) are computed, not matched. */
export const topics = pgTable('topics', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  builtIn: boolean('built_in').notNull().default(false),
  position: smallint('position').notNull().default(0),
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
