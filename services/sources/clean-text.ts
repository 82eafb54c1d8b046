import { decodeEntities } from './entities.js'

/**
 * Text is cleaned once, at ingest, into plain Unicode text. Nothing downstream treats it as
 * HTML: templates escape it. Cleaning only makes it readable and searchable.
 */

export const MAX_TITLE_CHARS = 1_000
export const MAX_ABSTRACT_CHARS = 20_000

export type CleanResult = { ok: true; text: string } | { ok: false; reason: string }

// Tags are stripped only when they are real HTML. A blanket `<[^>]*>` would eat text such as
// "the model emits <swi> to enter latent mode" (HF fixture 2606.13106) or "a<b and c>d".
const INLINE_TAGS =
  'a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|tt|u|var|wbr'
const BLOCK_TAGS =
  'address|article|aside|blockquote|br|caption|center|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|img|li|main|nav|ol|p|pre|script|section|style|table|tbody|td|tfoot|th|thead|tr|ul'
// Attribute values may not contain < or >, which bounds how far a bad tag can make the regex scan.
const ATTRS = `(?:\\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\\s*=\\s*(?:"[^"<>]*"|'[^'<>]*'|[^\\s"'<>=\`]+))*\\s*\\/?>`
const INLINE_TAG = new RegExp(`<\\/?(?:${INLINE_TAGS})${ATTRS}`, 'gi')
const BLOCK_TAG = new RegExp(`<\\/?(?:${BLOCK_TAGS})${ATTRS}`, 'gi')
const HIDDEN_OPEN = /<(script|style)\b[^<>]*>|<!--/gi
const HIDDEN_CLOSE: Record<string, RegExp> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  comment: /-->/g,
}

// `\\` at a line end, `\newline` and `\par` are LaTeX line/paragraph breaks.
const LATEX_BREAK = /\\\\(?=\s|$)|\\newline(?![a-zA-Z])|\\par(?![a-zA-Z])/g

// C0/C1 controls and DEL (whitespace aside), U+FFFD (a decoding error), zero-width space, BOM,
// bidi embeddings/overrides/isolates (they can make a title read differently in a mail client)
// and lone surrogates.
const JUNK = /(?![\t\n\v\f\r])\p{Cc}|\p{Cs}|[\ufffd\u200b\u202a-\u202e\u2066-\u2069\ufeff]/gu
// Characters that only occur in text decoded from binary data.
const BINARY = /(?![\t\n\v\f\r])\p{Cc}|\ufffd/gu
const BINARY_SHARE = 0.1

/**
 * Drops comments and script/style elements with their content. A scan, not a lazy regex: with
 * many unclosed `<script>` or `<!--` a regex rescans the rest of the text for each one.
 */
function dropHiddenBlocks(text: string): string {
  const unclosed = new Set<string>()
  const open = new RegExp(HIDDEN_OPEN)
  let out = ''
  let kept = 0
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const kind = m[1]?.toLowerCase() ?? 'comment'
    // Not closed after this opener means not closed after any later one either.
    if (unclosed.has(kind)) continue
    const close = new RegExp(HIDDEN_CLOSE[kind] ?? /-->/g)
    close.lastIndex = open.lastIndex
    if (close.exec(text) === null) {
      unclosed.add(kind)
      continue
    }
    out += `${text.slice(kept, m.index)} `
    kept = close.lastIndex
    open.lastIndex = kept
  }
  return out + text.slice(kept)
}

/** Plain-text form of `raw`: entities decoded once, HTML dropped, junk removed, spaces collapsed. */
export function cleanText(raw: string): string {
  let text = raw.replace(/\s+/g, ' ')
  text = decodeEntities(text)
  text = dropHiddenBlocks(text)
  text = text.replace(BLOCK_TAG, ' ').replace(INLINE_TAG, '')
  text = text.replace(LATEX_BREAK, ' ')
  text = text.replace(JUNK, '')
  return text.normalize('NFC').replace(/\s+/g, ' ').trim()
}

function charCount(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/**
 * Cleans one field and enforces its limit. Too long is an error, never a silent truncation:
 * a cut abstract would be stored and mailed as if it were whole.
 */
export function cleanField(raw: string, field: string, maxChars: number): CleanResult {
  // Far over the limit: rejected unscanned, since cleaning removes little but markup.
  if (raw.length > maxChars * 8 + 10_000) {
    return { ok: false, reason: `${field} is ${raw.length} characters, limit is ${maxChars}` }
  }
  const binary = raw.match(BINARY)?.length ?? 0
  if (binary > 0 && binary / raw.length > BINARY_SHARE) {
    return {
      ok: false,
      reason: `${field} looks like binary data (${binary} of ${raw.length} characters are control characters)`,
    }
  }
  const text = cleanText(raw)
  const length = charCount(text)
  if (length > maxChars) {
    return { ok: false, reason: `${field} is ${length} characters, limit is ${maxChars}` }
  }
  return { ok: true, text }
}
