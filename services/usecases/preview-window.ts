import { createHash } from 'node:crypto'
import { desc, gte, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { papers } from '../db/schema/index.js'
import { compactPaper } from '../domain/preview/compact-paper.js'
import { WordDictionary } from '../domain/preview/dictionary.js'
import {
  type PaperWindow,
  WindowBuilder,
  type WindowPaper,
} from '../domain/preview/paper-window.js'
import { analyzePaper } from '../domain/query/index.js'
import { forEachInSlices } from './time-slices.js'

const DAY_MS = 24 * 3600 * 1000

/**
 * What previews are evaluated against: the papers first stored in the last 90 days (the
 * longest preview asked for), at most the newest 5,000 of them. About 5 KB of memory per paper.
 */
export const PREVIEW_WINDOW = { days: 90, maxPapers: 5_000 } as const

/** How long a window is used before the database is asked whether papers came or changed. */
export const PREVIEW_WINDOW_TTL_MS = 60_000

/** Papers read per query while loading: keeps each query (and PGlite, which runs in-process) short. */
const READ_CHUNK = 200

/** A dictionary this large holds mostly words of papers long gone: start again. */
const MAX_DICTIONARY_WORDS = 1_000_000

export interface PreviewWindowOptions {
  readonly days?: number
  readonly maxPapers?: number
  readonly ttlMs?: number
  /** A refresh in the background failed; previews go on with the window they have. */
  readonly onError?: (error: unknown) => void
}

interface Entry {
  readonly paper: WindowPaper
  readonly updatedAt: number
  /** Of the fields the window keeps: a change of upvotes alone is not analysed again. */
  readonly fingerprint: string
}

/**
 * Keeps the preview window of one process current. Papers are analysed once, when first seen
 * or changed, in slices that leave the event loop free between them; a window is rebuilt only
 * when its papers changed. Papers stored by this process (invalidate()) are in the next
 * preview; papers stored by other processes, within the TTL: an expired window is still used
 * while its refresh runs.
 */
export class PreviewWindows {
  private dictionary = new WordDictionary()
  private entries = new Map<string, Entry>()
  private window: PaperWindow | undefined
  private refreshing: Promise<void> | undefined
  /** Bumped by invalidate(); the window is current when built from this generation on. */
  private generation = 0
  private builtGeneration = -1
  private checkedAt = Number.NEGATIVE_INFINITY
  /** The latest updated_at among the window's papers. */
  private newestUpdate = Number.NEGATIVE_INFINITY
  private readonly days: number
  private readonly maxPapers: number
  private readonly ttlMs: number
  private readonly onError: (error: unknown) => void

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    options: PreviewWindowOptions = {},
  ) {
    this.days = options.days ?? PREVIEW_WINDOW.days
    this.maxPapers = options.maxPapers ?? PREVIEW_WINDOW.maxPapers
    this.ttlMs = options.ttlMs ?? PREVIEW_WINDOW_TTL_MS
    this.onError = options.onError ?? (() => {})
  }

  /** The window to evaluate a preview against; waits only when there is none yet, or papers were stored here since. */
  async current(): Promise<PaperWindow> {
    let window = this.window
    // A load that began before the last invalidate() may have missed its papers: load again.
    while (window === undefined || this.builtGeneration < this.generation) {
      await this.refresh()
      window = this.window
    }
    if (performance.now() - this.checkedAt > this.ttlMs) {
      this.refresh().catch((error: unknown) => this.onError(error))
    }
    return window
  }

  /** Papers were stored or changed: the next preview waits for a window that has them. */
  invalidate(): void {
    this.generation++
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  private async load(): Promise<void> {
    const generation = this.generation
    // Failed or not, the next background check waits a TTL.
    this.checkedAt = performance.now()
    if (this.dictionary.size > MAX_DICTIONARY_WORDS) {
      this.dictionary = new WordDictionary()
      this.entries = new Map()
    }
    const now = this.now()
    const since = new Date(now.getTime() - this.days * DAY_MS)
    const members = await this.db
      .select({ id: papers.id, updatedAt: papers.updatedAt })
      .from(papers)
      .where(gte(papers.firstSeenAt, since))
      .orderBy(desc(papers.firstSeenAt), desc(papers.id))
      .limit(this.maxPapers)
    // A paper changed in the same millisecond as the newest known change keeps its stamp:
    // after papers were stored here, those are read again (and analysed again only if their
    // text changed).
    const boundary =
      generation > this.builtGeneration ? this.newestUpdate : Number.POSITIVE_INFINITY
    const toRead = members.filter((m) => {
      const known = this.entries.get(m.id)
      const stamp = m.updatedAt.getTime()
      return known === undefined || known.updatedAt !== stamp || stamp >= boundary
    })
    const read = await this.read(toRead.map((m) => m.id))
    const entries = new Map<string, Entry>()
    let changed = this.window === undefined || members.length !== this.entries.size
    let newestUpdate = Number.NEGATIVE_INFINITY
    for (const member of members) {
      const known = this.entries.get(member.id)
      const entry = read.get(member.id) ?? known
      if (entry === undefined) continue
      entries.set(member.id, entry)
      if (entry.paper !== known?.paper) changed = true
      newestUpdate = Math.max(newestUpdate, entry.updatedAt)
    }
    this.entries = entries
    this.newestUpdate = newestUpdate
    if (changed) {
      const ordered = [...entries.values()]
        .map((e) => e.paper)
        .sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || compare(a.id, b.id))
      const builder = new WindowBuilder(this.dictionary)
      await forEachInSlices(ordered, (paper) => builder.add(paper))
      const full = members.length >= this.maxPapers
      this.window = builder.finish(full ? (ordered[0]?.firstSeenAt ?? since) : since)
    }
    this.builtGeneration = Math.max(this.builtGeneration, generation)
  }

  /** Reads the papers a chunk at a time; analyses those whose text is new to the window. */
  private async read(ids: readonly string[]): Promise<Map<string, Entry>> {
    const read = new Map<string, Entry>()
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      const rows = await this.db
        .select({
          id: papers.id,
          title: papers.title,
          abstract: papers.abstract,
          authors: papers.authors,
          categories: papers.categories,
          url: papers.url,
          firstSeenAt: papers.firstSeenAt,
          updatedAt: papers.updatedAt,
        })
        .from(papers)
        .where(inArray(papers.id, ids.slice(i, i + READ_CHUNK)))
      await forEachInSlices(rows, (row) => {
        const fingerprint = createHash('sha1')
          .update(JSON.stringify([row.title, row.abstract, row.authors, row.categories, row.url]))
          .digest('base64')
        const known = this.entries.get(row.id)
        const paper =
          known?.fingerprint === fingerprint
            ? known.paper
            : {
                id: row.id,
                title: row.title,
                url: row.url,
                firstSeenAt: row.firstSeenAt,
                compact: compactPaper(analyzePaper(row), this.dictionary),
              }
        read.set(row.id, { paper, updatedAt: row.updatedAt.getTime(), fingerprint })
      })
    }
    return read
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
