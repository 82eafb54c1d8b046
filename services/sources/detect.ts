import type { SourceName } from '../domain/papers/incoming.js'
import { parseArxivAtom } from './arxiv-atom.js'
import { parseArxivRss } from './arxiv-rss.js'
import { bodyText } from './body.js'
import { hfDailyFromJson, parseHfDaily } from './hf-daily.js'
import { isObject, parseJson } from './json.js'
import { paperboyFromJson, parsePaperboyJson } from './paperboy-json.js'
import { type ParseOutcome, UnreadableInputError } from './types.js'

/** The parser for each source, for callers that know what they fetched. */
export const parsers: Record<SourceName, (body: string | Uint8Array) => ParseOutcome> = {
  'hf-daily': parseHfDaily,
  arxiv: parseArxivAtom,
  'arxiv-rss': parseArxivRss,
  json: parsePaperboyJson,
}

/**
 * Name of the root element, after any XML declaration, comments, processing instructions and
 * DOCTYPE. A plain scan: a regex for this backtracks exponentially on leading whitespace.
 */
export function xmlRootName(text: string): string | null {
  const limit = Math.min(text.length, 64 * 1024)
  // Index just past `marker` searched from `from`, or -1 when the prolog never closes it.
  const past = (marker: string, from: number) => {
    const at = text.indexOf(marker, from)
    return at === -1 ? -1 : at + marker.length
  }
  let i = 0
  while (i !== -1 && i < limit) {
    if (/\s/.test(text.charAt(i))) {
      i++
    } else if (text.startsWith('<?', i)) {
      i = past('?>', i + 2)
    } else if (text.startsWith('<!--', i)) {
      i = past('-->', i + 4)
    } else if (text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const bracket = text.indexOf('[', i)
      const gt = text.indexOf('>', i)
      // An internal subset [ ... ] may contain '>' of its own declarations.
      const inSubset = bracket !== -1 && (gt === -1 || bracket < gt)
      const afterSubset = inSubset ? past(']', bracket) : i
      i = afterSubset === -1 ? -1 : past('>', afterSubset)
    } else {
      return /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 256))?.[1] ?? null
    }
  }
  return null
}

function xmlFormat(text: string): SourceName {
  const root = xmlRootName(text)
  if (root === null) {
    throw new UnreadableInputError('body starts with "<" but has no XML root element')
  }
  const name = root.toLowerCase()
  if (name === 'feed') return 'arxiv'
  if (name === 'rss') return 'arxiv-rss'
  if (name === 'rdf:rdf') {
    throw new UnreadableInputError(
      'RSS 1.0 (RDF) feeds are not supported; arXiv has served RSS 2.0 since 2024',
    )
  }
  if (name === 'html') {
    throw new UnreadableInputError(
      'body is an HTML page, not a feed (wrong URL, or an error page?)',
    )
  }
  throw new UnreadableInputError(
    `unknown XML format <${root}>: expected an Atom <feed> or an <rss> feed`,
  )
}

function jsonFormat(doc: unknown): SourceName {
  if (isObject(doc) && Array.isArray(doc.papers)) return 'json'
  // An empty array is what the HF API answers for a day without papers.
  if (
    Array.isArray(doc) &&
    (doc.length === 0 || doc.some((item) => isObject(item) && isObject(item.paper)))
  ) {
    return 'hf-daily'
  }
  if (Array.isArray(doc)) {
    throw new UnreadableInputError(
      'JSON array whose items have no "paper" object: not a Hugging Face daily-papers response',
    )
  }
  if (isObject(doc) && typeof doc.error === 'string') {
    throw new UnreadableInputError(`JSON error response, not papers: ${doc.error.slice(0, 200)}`)
  }
  throw new UnreadableInputError(
    'unknown JSON format: expected {"papers": [...]} (Paperboy JSON) or an array of {"paper": ...} (Hugging Face daily papers)',
  )
}

type Sniffed =
  | { kind: 'xml'; format: SourceName }
  | { kind: 'json'; format: SourceName; doc: unknown }

function sniff(text: string): Sniffed {
  const first = /\S/.exec(text)?.[0]
  if (first === undefined) throw new UnreadableInputError('body is empty')
  if (first === '<') return { kind: 'xml', format: xmlFormat(text) }
  if (first !== '{' && first !== '[') {
    // Still JSON if it parses ("a string", 42), just not a format of papers.
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      throw new UnreadableInputError('body is neither JSON nor XML')
    }
    return { kind: 'json', format: jsonFormat(doc), doc }
  }
  const doc = parseJson(text)
  return { kind: 'json', format: jsonFormat(doc), doc }
}

/** Which format `body` is in, judged by its content (never a file name). */
export function detectFormat(body: string | Uint8Array): SourceName {
  return sniff(bodyText(body)).format
}

/** Detects the format from the content and parses with the matching parser. */
export function parseAny(body: string | Uint8Array): ParseOutcome {
  const text = bodyText(body)
  const sniffed = sniff(text)
  if (sniffed.kind === 'json') {
    return sniffed.format === 'json' ? paperboyFromJson(sniffed.doc) : hfDailyFromJson(sniffed.doc)
  }
  return parsers[sniffed.format](text)
}
