import type { AnnounceType } from '../domain/papers/incoming.js'
import { BatchCollector } from './batch.js'
import { bodyText } from './body.js'
import { decodeEntities } from './entities.js'
import { buildPaper, ItemRejected, type PaperDraft, shown, withItemId } from './paper-builder.js'
import type { ParseOutcome } from './types.js'
import { childrenOf, childText, elementsOf, parseXmlRoot, rawText, type XmlElement } from './xml.js'

const ANNOUNCE_TYPES: readonly AnnounceType[] = ['new', 'cross', 'replace', 'replace-cross']

// "arXiv:2604.21935v1 Announce Type: new \nAbstract: ..." opens every 2024+ description.
const HEADER = /^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*/i
const ABSTRACT_LABEL = /^Abstract:\s*/i
// Name suffixes that the comma-separated creator list splits off their owner.
const SUFFIX = /^(?:Jr|Sr|I{2,3}|IV)\.?$/i

interface Description {
  id: string | null
  announceType: string | null
  abstract: string | null
}

function splitDescription(raw: string | null): Description {
  if (raw === null) return { id: null, announceType: null, abstract: null }
  const header = HEADER.exec(raw)
  const rest = header ? raw.slice(header[0].length) : raw
  return {
    id: header?.[1] ?? null,
    announceType: header?.[2] ?? null,
    abstract: rest.replace(ABSTRACT_LABEL, ''),
  }
}

/** Splits "A. One, B. Two, Jr., C. Three" into names, keeping suffixes with their owner. */
export function splitCreators(raw: string | null): string[] {
  if (raw === null) return []
  const names: string[] = []
  for (const part of decodeEntities(raw).split(',')) {
    const name = part.trim()
    if (name === '') continue
    const last = names.length - 1
    if (SUFFIX.test(name) && last >= 0) names[last] = `${names[last]}, ${name}`
    else names.push(name)
  }
  return names
}

function announceTypeOf(item: XmlElement, fromHeader: string | null): AnnounceType | undefined {
  const raw = childText(item, 'announce_type') ?? fromHeader
  if (raw === null) return undefined
  const value = decodeEntities(raw).trim().toLowerCase()
  const known = ANNOUNCE_TYPES.find((t) => t === value)
  if (known === undefined) throw new ItemRejected(`unknown announce_type ${shown(value)}`)
  return known
}

function draftOf(item: XmlElement): PaperDraft {
  const description = splitDescription(childText(item, 'description'))
  const id = childText(item, 'guid') ?? description.id ?? childText(item, 'link')
  const announceType = withItemId(id, () => announceTypeOf(item, description.announceType))
  const pubDate = childText(item, 'pubDate')
  // A replacement is announced on the day of its new version, not of the paper.
  const isUpdate = announceType === 'replace' || announceType === 'replace-cross'
  const draft: PaperDraft = {
    id,
    title: childText(item, 'title'),
    abstract: description.abstract,
    authors: splitCreators(childText(item, 'creator')),
    categories: childrenOf(item, 'category').map((c) => rawText(c) ?? ''),
    publishedAt: isUpdate ? null : pubDate,
    updatedAt: isUpdate ? pubDate : null,
    url: childText(item, 'link'),
  }
  if (announceType !== undefined) draft.announceType = announceType
  return draft
}

/**
 * Parses an arXiv RSS 2.0 feed (the 2024+ format). Items announced as `replace` or
 * `replace-cross` are new versions of known papers: callers must update, never deliver them.
 */
export function parseArxivRss(body: string | Uint8Array): ParseOutcome {
  const rss = parseXmlRoot(bodyText(body), 'rss', 'arXiv RSS feed')
  const channel = elementsOf(rss, 'channel')[0] ?? {}
  const batch = new BatchCollector('arxiv-rss')
  elementsOf(channel, 'item').forEach((item, index) => {
    batch.add(index, () => buildPaper(draftOf(item), 'arxiv-rss'))
  })
  return batch.outcome()
}
