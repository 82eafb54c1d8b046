import { asc } from 'drizzle-orm'
import type { SeedTopic } from '../../domain/seed-topics.js'
import type { Database } from '../client.js'
import { topicInterests, topics } from '../schema/index.js'

export interface Topic {
  readonly slug: string
  readonly name: string
  readonly description: string
  readonly builtIn: boolean
  readonly interests: readonly string[]
}

export async function listTopics(db: Database): Promise<Topic[]> {
  const rows = await db.select().from(topics).orderBy(asc(topics.position), asc(topics.name))
  const lines = await db
    .select()
    .from(topicInterests)
    .orderBy(asc(topicInterests.topicSlug), asc(topicInterests.position))
  return rows.map((topic) => ({
    slug: topic.slug,
    name: topic.name,
    description: topic.description,
    builtIn: topic.builtIn,
    interests: lines.filter((line) => line.topicSlug === topic.slug).map((line) => line.query),
  }))
}

/** Adds the shipped topics that are missing; topics an operator already has are left as they are. */
export async function seedTopics(db: Database, seed: readonly SeedTopic[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [position, topic] of seed.entries()) {
      const inserted = await tx
        .insert(topics)
        .values({
          slug: topic.slug,
          name: topic.name,
          description: topic.description,
          builtIn: topic.builtIn ?? false,
          position,
        })
        .onConflictDoNothing()
        .returning({ slug: topics.slug })
      if (inserted.length === 0 || topic.interests.length === 0) continue
      await tx
        .insert(topicInterests)
        .values(topic.interests.map((query, i) => ({ topicSlug: topic.slug, position: i, query })))
    }
  })
}
