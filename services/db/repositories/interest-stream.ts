import { sql } from 'drizzle-orm'
import type { InterestSource } from '../../domain/matching/index.js'
import type { Database } from '../client.js'
import { interests, subscribers, subscriberTopics } from '../schema/index.js'

// Building a worker's index reads every active subscriber's lines: millions of rows. They are
// streamed through two cursors in one transaction, each aggregated to one row per subscriber
// (five times fewer rows for the driver to parse than one per interest), and merged as they
// arrive; the next batch is fetched while the current one is indexed.

const BATCH = 5_000

type Row = readonly [id: number, first: string, second: string | null]

/** Reads a cursor of the open transaction a batch at a time, one FETCH always in flight. */
class CursorReader {
  private rows: Row[] = []
  private position = 0
  private done = false
  private next: Promise<Row[]>

  constructor(private readonly fetch: () => Promise<Row[]>) {
    this.next = fetch()
  }

  /** The current row; undefined when the batch is used up (then refill()). */
  current(): Row | undefined {
    return this.rows[this.position]
  }

  advance(): void {
    this.position++
  }

  /** Nothing left: the current batch is used up and was the last. */
  get exhausted(): boolean {
    return this.done && this.position >= this.rows.length
  }

  /** The first row of the next batch, or undefined at the end of the cursor. */
  async refill(): Promise<Row | undefined> {
    if (this.done) return undefined
    this.rows = await this.next
    this.position = 0
    if (this.rows.length < BATCH) this.done = true
    else this.next = this.fetch()
    return this.rows[0]
  }
}

function rowsOf(result: unknown): Row[] {
  const rows = (result as { rows: Record<string, unknown>[] }).rows
  return rows.map((r) => [
    Number(r.id),
    String(r.first),
    r.second === null ? null : String(r.second),
  ])
}

/**
 * Calls `onSubscriber` for every active subscriber with at least one interest or followed
 * topic, in id order, with its own lines (as written, in order) and its topics' lines.
 * Returns how many subscribers it streamed.
 */
export async function streamActiveSubscriberInterests(
  db: Database,
  topics: ReadonlyMap<string, readonly string[]>,
  onSubscriber: (subscriberId: number, sources: InterestSource[]) => void,
): Promise<number> {
  const topicSources = new Map(
    [...topics].map(([slug, lines]) => [
      slug,
      lines.map((line): InterestSource => ({ kind: 'topic', slug, line })),
    ]),
  )
  return db.transaction(async (tx) => {
    // A line cannot hold a line break (the form splits on them), so one separates lines.
    await tx.execute(sql`DECLARE own NO SCROLL CURSOR FOR
      SELECT i.subscriber_id AS id, string_agg(i.id::text, ',' ORDER BY i.position) AS first,
        string_agg(i.query, E'\n' ORDER BY i.position) AS second
      FROM ${interests} i JOIN ${subscribers} s ON s.id = i.subscriber_id AND s.status = 'active'
      GROUP BY i.subscriber_id ORDER BY i.subscriber_id`)
    await tx.execute(sql`DECLARE followed NO SCROLL CURSOR FOR
      SELECT t.subscriber_id AS id, string_agg(t.topic_slug, E'\n') AS first, NULL AS second
      FROM ${subscriberTopics} t JOIN ${subscribers} s ON s.id = t.subscriber_id AND s.status = 'active'
      GROUP BY t.subscriber_id ORDER BY t.subscriber_id`)
    const own = new CursorReader(async () =>
      rowsOf(await tx.execute(sql.raw(`FETCH ${BATCH} FROM own`))),
    )
    const followed = new CursorReader(async () =>
      rowsOf(await tx.execute(sql.raw(`FETCH ${BATCH} FROM followed`))),
    )
    let count = 0
    for (;;) {
      // Awaiting only at the end of a batch: an await per row would cost more than the row.
      const a = own.current() ?? (own.exhausted ? undefined : await own.refill())
      const b = followed.current() ?? (followed.exhausted ? undefined : await followed.refill())
      if (a === undefined && b === undefined) return count
      const id = Math.min(a?.[0] ?? Number.POSITIVE_INFINITY, b?.[0] ?? Number.POSITIVE_INFINITY)
      const sources: InterestSource[] = []
      if (a?.[0] === id) {
        const ids = a[1].split(',')
        ;(a[2] ?? '').split('\n').forEach((line, i) => {
          sources.push({ kind: 'interest', interestId: Number(ids[i]), line })
        })
        own.advance()
      }
      if (b?.[0] === id) {
        for (const slug of b[1].split('\n')) sources.push(...(topicSources.get(slug) ?? []))
        followed.advance()
      }
      onSubscriber(id, sources)
      count++
    }
  })
}
