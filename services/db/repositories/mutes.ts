import { asc, eq } from 'drizzle-orm'
import type { Database } from '../client.js'
import { mutes } from '../schema/index.js'

// A subscriber's muted terms (see domain/mutes.ts), in the order they were muted.

export async function listMutes(db: Database, subscriberId: number): Promise<string[]> {
  const rows = await db
    .select({ term: mutes.term })
    .from(mutes)
    .where(eq(mutes.subscriberId, subscriberId))
    .orderBy(asc(mutes.id))
  return rows.map((r) => r.term)
}

/** Adds one term; true when it is new, false when it was already muted (a repeat changes nothing). */
export async function addMute(
  db: Database,
  subscriberId: number,
  term: string,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(mutes)
    .values({ subscriberId, term, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: mutes.id })
  return inserted.length > 0
}

/** The preference centre's list replaces the stored one, in its order; a term kept keeps its date. */
export async function replaceMutes(
  db: Database,
  subscriberId: number,
  terms: readonly string[],
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(mutes)
      .where(eq(mutes.subscriberId, subscriberId))
      .returning({ term: mutes.term, createdAt: mutes.createdAt })
    const since = new Map(gone.map((row) => [row.term, row.createdAt]))
    if (terms.length > 0) {
      await tx
        .insert(mutes)
        .values(terms.map((term) => ({ subscriberId, term, createdAt: since.get(term) ?? now })))
    }
  })
}
