import type { Database } from '../db/client.js'
import { streamActiveSubscriberInterests } from '../db/repositories/interest-stream.js'
import {
  activeSubscriberInterests,
  latestSubscriberChange,
  markMatched,
  type NewLineMatch,
  type NewTopicMatch,
  saveLineMatches,
  saveTopicMatches,
  subscribersChangedSince,
  topicLines,
} from '../db/repositories/matching.js'
import { findPapers, recentPaperTexts } from '../db/repositories/papers.js'
import type { StoredReason } from '../db/schema/index.js'
import { type MatchReason, Percolator, sampleFrequency } from '../domain/matching/index.js'
import { analyzePaper } from '../domain/query/index.js'
import type { Logger } from '../logger.js'
import type { MatchJob } from '../queue/queues.js'

const REBUILD_AFTER_MS = 6 * 3600 * 1000
const FREQUENCY_SAMPLE = 2_000

/**
 * The worker's matcher: a percolator over every active subscriber's interests, built once by
 * paging through the database, then kept current by re-reading only the subscribers changed
 * since the last batch. Each worker process holds its own.
 */
export class Matcher {
  private percolator = new Percolator()
  /** The newest subscriber change already in the index. */
  private watermark: Date | undefined
  private builtAt: number | undefined
  private topics = new Map<string, string[]>()
  private readonly known = new Set<number>()

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async process(job: MatchJob): Promise<{ papers: number; matches: number }> {
    await this.sync()
    const papers = await findPapers(this.db, job.paperIds)
    const lineRows: NewLineMatch[] = []
    const topicRows: NewTopicMatch[] = []
    for (const paper of papers) {
      if (paper.matchState !== 'pending') continue
      // Each line and topic once: the subscribers who have them are joined when each one's
      // digest is claimed.
      const found = this.percolator.matchLines(paper)
      for (const { line, words } of found.lines) lineRows.push({ line, paperId: paper.id, words })
      for (const topic of found.topics) {
        topicRows.push({
          topicSlug: topic.slug,
          paperId: paper.id,
          reasons: topic.reasons.map(toStored),
        })
      }
    }
    const now = this.now()
    const saved =
      (await saveLineMatches(this.db, lineRows, now)) +
      (await saveTopicMatches(this.db, topicRows, now))
    await markMatched(
      this.db,
      papers.map((p) => p.id),
    )
    this.logger.info({ papers: papers.length, matches: saved }, 'papers matched')
    return { papers: papers.length, matches: saved }
  }

  /** Brings the index up to date: a full build the first time, then only what changed. */
  private async sync(): Promise<void> {
    const topics = await topicLines(this.db)
    const topicsChanged = JSON.stringify([...topics]) !== JSON.stringify([...this.topics])
    // Deleted subscribers leave no row to notice; their lines are only joined to subscribers
    // that exist when a digest is claimed, and a periodic rebuild frees the memory they hold.
    const stale = !this.builtAt || Date.now() - this.builtAt > REBUILD_AFTER_MS
    if (this.watermark === undefined || topicsChanged || stale) {
      this.topics = topics
      // Read before the pages, so a change made during the build is caught by the next sync.
      this.watermark = (await latestSubscriberChange(this.db)) ?? new Date(0)
      await this.rebuild()
      this.builtAt = Date.now()
      return
    }
    // `>=` rather than `>`: rows stamped with the same instant as the watermark are re-read, harmlessly.
    const changed = await subscribersChangedSince(this.db, this.watermark)
    if (changed.length === 0) return
    const active = new Set(changed.filter((c) => c.status === 'active').map((c) => c.id))
    for (const c of changed) if (!active.has(c.id)) this.forget(c.id)
    const refreshed = await activeSubscriberInterests(this.db, [...active], topics)
    for (const s of refreshed) this.remember(s.subscriberId, s.sources)
    this.watermark = new Date(Math.max(...changed.map((c) => c.updatedAt.getTime())))
  }

  private async rebuild(): Promise<void> {
    // Indexing each query under its rarest word keeps candidate lists short; how rare a word
    // is comes from the latest papers (the percolator falls back to a guess for unseen ones).
    const sample = await recentPaperTexts(this.db, FREQUENCY_SAMPLE)
    this.percolator = new Percolator(
      sample.length > 0 ? { frequency: sampleFrequency(sample.map((p) => analyzePaper(p))) } : {},
    )
    this.known.clear()
    const started = Date.now()
    await streamActiveSubscriberInterests(this.db, this.topics, (id, sources) =>
      this.remember(id, sources),
    )
    this.logger.info(
      { ...this.percolator.stats(), ms: Date.now() - started },
      'interest index built',
    )
  }

  private remember(id: number, sources: Parameters<Percolator['setSubscriber']>[1]) {
    if (sources.length === 0) return this.forget(id)
    this.percolator.setSubscriber(id, sources)
    this.known.add(id)
  }

  private forget(id: number) {
    if (!this.known.delete(id)) return
    this.percolator.removeSubscriber(id)
  }
}

/** A topic's reason as stored; its line says which of the topic's lines matched. */
function toStored({ source, words }: MatchReason): StoredReason {
  return source.kind === 'topic'
    ? { kind: 'topic', slug: source.slug, line: source.line, words }
    : { kind: 'interest', line: source.line, words }
}
