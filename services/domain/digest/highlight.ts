import { tokenize } from '../query/index.js'

/** A piece of a title or abstract; `highlight` pieces are what matched. Plain text, never HTML. */
export interface Segment {
  readonly text: string
  readonly highlight: boolean
}

interface Span {
  readonly start: number
  readonly end: number
}

/** One normalised word of the text and the stretch of the original text it came from. */
interface Located {
  readonly word: string
  readonly span: Span
}

// The tokenizer normalises first (NFKC, marks, possessives), so its positions are not positions
// in the original text. Runs of letters, digits and marks are found in the original instead, and
// each run is tokenised on its own: its words are then known to come from that stretch.
const RUN = /[\p{L}\p{N}\p{M}]+(?:['\u2019][\p{L}\p{N}\p{M}]+)*/gu
// A run the tokenizer splits further (CJK characters are a word each, "don't" is two words) is
// cut the same way here, so that a highlight covers only the matching character.
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}'
const PIECE = new RegExp(`[${CJK}]|[^${CJK}'\u2019]+`, 'gu')

// Abstracts repeat the same few thousand words, and tokenising one costs several Unicode
// normalisations: remembering the answers makes composing a digest about ten times faster.
const CACHE_LIMIT = 50_000
const wordCache = new Map<string, readonly string[]>()

function wordsOf(run: string): readonly string[] {
  let words = wordCache.get(run)
  if (words === undefined) {
    if (wordCache.size >= CACHE_LIMIT) wordCache.clear()
    words = tokenize(run).map((t) => t.word)
    wordCache.set(run, words)
  }
  return words
}

function locateWords(text: string): Located[] {
  const located: Located[] = []
  for (const run of text.matchAll(RUN)) {
    const start = run.index
    const words = wordsOf(run[0])
    if (words.length === 1) {
      located.push({ word: words[0] as string, span: { start, end: start + run[0].length } })
      continue
    }
    const pieces = [...run[0].matchAll(PIECE)].map((piece) => ({
      words: wordsOf(piece[0]),
      span: { start: start + piece.index, end: start + piece.index + piece[0].length },
    }))
    if (pieces.every((p) => p.words.length === 1) && pieces.length === words.length) {
      for (const p of pieces) located.push({ word: p.words[0] as string, span: p.span })
    } else {
      // Odd cases (NFKC turning "½" into "1⁄2"): the whole run stands for each of its words.
      const span = { start, end: start + run[0].length }
      for (const word of words) located.push({ word, span })
    }
  }
  return located
}

// A day's papers go to many subscribers: where each word of a title or abstract is, found
// once per text, serves every digest that shows it, whatever words it highlights there.
const TEXT_CACHE_LIMIT = 2_000
const textCache = new Map<string, readonly Located[]>()

function locatedWordsOf(text: string): readonly Located[] {
  let located = textCache.get(text)
  if (located === undefined) {
    if (textCache.size >= TEXT_CACHE_LIMIT) {
      // The oldest first: Maps keep insertion order.
      textCache.delete(textCache.keys().next().value as string)
    }
    located = locateWords(text)
    textCache.set(text, located)
  }
  return located
}

/** Matched words and phrases as normalised word lists, indexed by their first word. */
function patternsOf(matched: readonly string[]): Map<string, string[][]> {
  const byFirst = new Map<string, string[][]>()
  const seen = new Set<string>()
  for (const phrase of matched) {
    const words = tokenize(phrase).map((t) => t.word)
    const key = words.join(' ')
    if (words.length === 0 || seen.has(key)) continue
    seen.add(key)
    const first = words[0] as string
    byFirst.set(first, [...(byFirst.get(first) ?? []), words])
  }
  return byFirst
}

function matchedSpans(located: readonly Located[], patterns: Map<string, string[][]>): Span[] {
  const spans: Span[] = []
  located.forEach((first, i) => {
    for (const words of patterns.get(first.word) ?? []) {
      if (!words.every((w, k) => located[i + k]?.word === w)) continue
      const last = located[i + words.length - 1] as Located
      spans.push({ start: first.span.start, end: last.span.end })
    }
  })
  return spans.sort((a, b) => a.start - b.start || a.end - b.end)
}

// Two highlighted words with only a space between them read as one highlight, not two boxes.
const ONLY_SPACE = /^\s*$/

function mergeSpans(text: string, spans: readonly Span[]): Span[] {
  const merged: Span[] = []
  for (const span of spans) {
    const last = merged[merged.length - 1]
    // Overlapping spans leave an empty gap, which counts as "only space" too.
    if (last && ONLY_SPACE.test(text.slice(last.end, span.start))) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) }
    } else {
      merged.push(span)
    }
  }
  return merged
}

/**
 * Splits `text` into segments, highlighting every occurrence of the matched words and phrases.
 * Comparison is on normalised words (the query language's tokenizer), so `model` highlights
 * "Models" and "model's", and a phrase highlights its words and the space between them.
 */
export function highlight(text: string, matched: readonly string[]): Segment[] {
  const patterns = patternsOf(matched)
  const spans =
    patterns.size === 0 ? [] : mergeSpans(text, matchedSpans(locatedWordsOf(text), patterns))
  const segments: Segment[] = []
  let at = 0
  for (const span of spans) {
    if (span.start > at) segments.push({ text: text.slice(at, span.start), highlight: false })
    segments.push({ text: text.slice(span.start, span.end), highlight: true })
    at = span.end
  }
  if (at < text.length) segments.push({ text: text.slice(at), highlight: false })
  return segments
}

export const ELLIPSIS = '\u2026'
// Cutting at a space further back than this would lose too much; a hard cut reads better.
const MIN_KEPT = 0.6
const TRAILING = /[\s,;:.\-\u2013\u2014(]+$/u

const SPACE = /\s/u

function cutPoint(text: string, max: number): number {
  for (let i = max; i >= max * MIN_KEPT; i--) if (SPACE.test(text.charAt(i))) return i
  // Never split a surrogate pair (an emoji, a rare CJK character) in half.
  const code = text.charCodeAt(max - 1)
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max
}

/**
 * Shortens segments to about `max` characters, cut at a word boundary; highlights before the
 * cut are kept. Returns them unchanged when they are short enough. `shortened` says to show
 * the cut: the ellipsis belongs to the page or email that shows the text, not to the text (an
 * ASCII abstract then stays ASCII, which is cheaper to escape, measure and send).
 */
export function shorten(
  segments: readonly Segment[],
  max: number,
): { segments: Segment[]; shortened: boolean } {
  const full = segments.map((s) => s.text).join('')
  if (full.length <= max) return { segments: [...segments], shortened: false }
  const cut = cutPoint(full, max)
  const kept: Segment[] = []
  let at = 0
  for (const segment of segments) {
    if (at >= cut) break
    const text = segment.text.slice(0, cut - at)
    kept.push({ text, highlight: segment.highlight })
    at += segment.text.length
  }
  // Trailing spaces and punctuation before the ellipsis read as a typo ("models, …").
  while (kept.length > 0) {
    const last = kept[kept.length - 1] as Segment
    const text = last.text.replace(TRAILING, '')
    if (text !== '') {
      kept[kept.length - 1] = { text, highlight: last.highlight }
      break
    }
    kept.pop()
  }
  return { segments: kept, shortened: true }
}
