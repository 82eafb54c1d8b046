import type { Database } from '../db/client.js'
import { streamActiveInterestLines } from '../db/repositories/interest-stream.js'
import {
  activeLinesChangedSince,
  latestSubscriberChange,
  markMatched,
  type NewLineMatch,
  type NewTopicMatch,
  saveLineMatches,
  saveTopicMatches,
  topicLines,
} from '../db/repositories/matching.js'
import { findPapers, recentPaperTexts } from '../db/repositories/papers.js'
import { Percolator, sampleFrequency } from '../domain/matching/index.js'
import { analyzePaper } from '../domain/query/index.js'
import type { Logger } from '../logger.js'

/**
 * How long an index serves before it is built again. Lines nobody has any more (removed, or
 * their subscriber left) stay indexed until then: they cost memory and a few unclaimed
 * `line_matches` rows, never an email, since digests join each subscriber's current lines.
 */
const REBUILD_AFTER_MS = 3600 * 1000
const FREQUENCY_SAMPLE = 2_000

/**
 * A worker's index build: every topic, and each distinct line of the active subscribers.
 * Returns the topics' lines as indexed.
 */
export async function indexActiveInterests(
  db: Database,
  percolator: Percolator,
): Promise<Map<string, string[]>> {
  const topics = await topicLines(db)
  for (const [slug, lines] of topics) percolator.setTopic(slug, lines)
  await streamActiveInterestLines(db, (line) => percolator.addLine(line))
  return topics
}

/**
 * The worker's matcher: a percolator over the distinct interest lines of the active
 * subscribers and over the topics, built once by streaming them from the database, then kept
 * current before each batch by adding the lines of the subscribers changed since the last
 * one. Each worker process holds its own.
 */
export class Matcher {
  private percolator = new Percolator()
  /** The newest subscriber change already in the index. */
  private watermark: Date | undefined
  private builtAt: number | undefined
  private topics = new Map<string, string[]>()

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Matches newly stored papers against every line and topic, recording each match once. */
  async matchPapers(paperIds: readonly string[]): Promise<{ papers: number; matches: number }> {
    await this.sync()
    const papers = await findPapers(this.db, paperIds)
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
          reasons: topic.reasons.map(({ line, words }) => ({
            kind: 'topic',
            slug: topic.slug,
            line,
            words,
          })),
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

  /** Brings the index up to date: a full build the first time and every hour, else what changed. */
  private async sync(): Promise<void> {
    const now = this.now().getTime()
    if (this.builtAt === undefined || now - this.builtAt > REBUILD_AFTER_MS) {
      // Read before the lines, so a change made during the build is caught by the next sync.
      const watermark = (await latestSubscriberChange(this.db)) ?? new Date(0)
      await this.rebuild()
      this.watermark = watermark
      this.builtAt = now
      return
    }
    await this.syncTopics()
    // `>=` rather than `>`: a change stamped with the watermark's instant but committed after
    // it was read is not missed; those already read are read again, harmlessly.
    const watermark = this.watermark ?? new Date(0)
    const latest = await latestSubscriberChange(this.db, watermark)
    if (latest === undefined) return
    for (const line of await activeLinesChangedSince(this.db, watermark)) {
      this.percolator.addLine(line)
    }
    this.watermark = latest
  }

  private async rebuild(): Promise<void> {
    // Indexing each query under its rarest word keeps candidate lists short; how rare a word
    // is comes from the latest papers (the percolator falls back to a guess for unseen ones).
    const sample = await recentPaperTexts(this.db, FREQUENCY_SAMPLE)
    this.percolator = new Percolator(
      sample.length > 0 ? { frequency: sampleFrequency(sample.map((p) => analyzePaper(p))) } : {},
    )
    const started = Date.now()
    this.topics = await indexActiveInterests(this.db, this.percolator)
    this.logger.info(
      { ...this.percolator.stats(), ms: Date.now() - started },
      'interest index built',
    )
  }

  /** Topics are few: all of them are read each time; the percolator skips those unchanged. */
  private async syncTopics(): Promise<void> {
    const current = await topicLines(this.db)
    for (const slug of new Set([...this.topics.keys(), ...current.keys()])) {
      this.percolator.setTopic(slug, current.get(slug) ?? [])
    }
    this.topics = current
  }
}
