import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { SeedTopic } from '../../domain/seed-topics.js'
import type { TopicChanges, TopicDefinition } from '../../domain/topic-definition.js'
import type { Database } from '../client.js'
import { topicInterests, topics } from '../schema/index.js'

export interface Topic {
  readonly slug: string
  readonly name: string
  readonly description: string
  readonly builtIn: boolean
  readonly interests: readonly string[]
  readonly updatedAt: Date
  /** Set once an operator retired it: offered to nobody, matching nothing. */
  readonly retiredAt: Date | null
}

/** The topics on offer (not retired), in the operator's order. */
export async function listTopics(db: Database): Promise<Topic[]> {
  return readTopics(db, false)
}

/** Every topic, retired ones included: for operators, and for naming what was matched before. */
export async function listAllTopics(db: Database): Promise<Topic[]> {
  return readTopics(db, true)
}

export async function findTopic(db: Database, slug: string): Promise<Topic | undefined> {
  return (await readTopics(db, true, slug))[0]
}

async function readTopics(db: Database, withRetired: boolean, slug?: string): Promise<Topic[]> {
  const rows = await db
    .select()
    .from(topics)
    .where(
      and(
        withRetired ? undefined : isNull(topics.retiredAt),
        slug === undefined ? undefined : eq(topics.slug, slug),
      ),
    )
    .orderBy(asc(topics.position), asc(topics.name))
  const lines = await db
    .select()
    .from(topicInterests)
    .where(slug === undefined ? undefined : eq(topicInterests.topicSlug, slug))
    .orderBy(asc(topicInterests.topicSlug), asc(topicInterests.position))
  const linesOf = new Map<string, string[]>()
  for (const line of lines) {
    linesOf.set(line.topicSlug, [...(linesOf.get(line.topicSlug) ?? []), line.query])
  }
  return rows.map((topic) => ({
    slug: topic.slug,
    name: topic.name,
    description: topic.description,
    builtIn: topic.builtIn,
    interests: linesOf.get(topic.slug) ?? [],
    updatedAt: topic.updatedAt,
    retiredAt: topic.retiredAt,
  }))
}

/** Adds a topic after the others; false when the slug is taken (by a retired topic too). */
export async function insertTopic(
  db: Database,
  topic: TopicDefinition,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(topics)
      .values({
        slug: topic.slug,
        name: topic.name,
        description: topic.description,
        position: sql`(SELECT coalesce(max(${topics.position}), -1) + 1 FROM ${topics})`,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ slug: topics.slug })
    if (inserted.length === 0) return false
    await insertLines(tx, topic.slug, topic.interests)
    return true
  })
}

/** Applies an edit to a topic still on offer; false when there is none by that slug. */
export async function updateTopic(
  db: Database,
  slug: string,
  changes: TopicChanges,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(topics)
      .set({
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        updatedAt: now,
      })
      .where(and(eq(topics.slug, slug), isNull(topics.retiredAt)))
      .returning({ slug: topics.slug })
    if (updated.length === 0) return false
    if (changes.interests !== undefined) {
      await tx.delete(topicInterests).where(eq(topicInterests.topicSlug, slug))
      await insertLines(tx, slug, changes.interests)
    }
    return true
  })
}

/** Retires a topic still on offer; false when there is none by that slug. */
export async function retireTopic(db: Database, slug: string, now: Date): Promise<boolean> {
  const retired = await db
    .update(topics)
    .set({ retiredAt: now, updatedAt: now })
    .where(and(eq(topics.slug, slug), isNull(topics.retiredAt)))
    .returning({ slug: topics.slug })
  return retired.length > 0
}

async function insertLines(
  tx: Pick<Database, 'insert'>,
  slug: string,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return
  await tx
    .insert(topicInterests)
    .values(lines.map((query, position) => ({ topicSlug: slug, position, query })))
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
