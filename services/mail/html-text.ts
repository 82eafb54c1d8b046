// Quotes, backticks and `=` too, as Handlebars does: a value can never end an attribute, quoted
// or not.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are cleaned, so they count.
const NEEDS_WORK = /[&<>"'`=\u0000-\u001F\u007F-\uFFFF]/
// Code units, not code points: a surrogate pair comes as two matches (see escapeOne).
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const SPECIAL = /[&<>"'`=\u0000-\u001F\u007F-\uFFFF]/g
const BEYOND_LATIN1 = /[\u0100-\uFFFF]/

/**
 * One untrusted value as HTML text, in one pass: cleaned exactly as cleanText cleans every value
 * in an email (bidi controls dropped, other control characters and line separators made spaces),
 * escaped, and with every character beyond ASCII written as a character reference. The HTML part
 * then holds only ASCII, so its length is its size in bytes (what the 100 KB limit is about) and
 * it travels as cheaply as text can.
 */
export function htmlText(value: string): string {
  // Most values are plain ASCII words: one native scan settles them.
  if (!NEEDS_WORK.test(value)) return value
  const escaped = value.replace(SPECIAL, escapeOne)
  // ASCII now, but stored two bytes per character if the value was, and one such piece makes
  // V8 store the whole email that way: twice the bytes to flatten, measure and encode.
  return BEYOND_LATIN1.test(value) ? Buffer.from(escaped, 'latin1').toString('latin1') : escaped
}

function escapeOne(char: string, at: number, value: string): string {
  const code = char.charCodeAt(0)
  // The other ASCII characters that match are control characters: spaces, as cleanText makes them.
  if (code < 0x80) return ENTITIES[char] ?? ' '
  if (code <= 0x9f || code === 0x2028 || code === 0x2029) return ' '
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return ''
  if (code >= 0xd800 && code <= 0xdfff) {
    // A pair is one character, written once, at its first half.
    if (code <= 0xdbff && isLowSurrogate(value.charCodeAt(at + 1))) {
      return `&#${value.codePointAt(at)};`
    }
    if (code >= 0xdc00 && at > 0 && isHighSurrogate(value.charCodeAt(at - 1))) return ''
    // A lone surrogate is no character at all; show what a decoder would.
    return '&#65533;'
  }
  return `&#${code};`
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** Static markup of a template, made ASCII the same way; markup itself is left alone. */
export function asciiMarkup(markup: string): string {
  return markup.replace(/[\u0080-\u{10FFFF}]/gu, (char) => {
    const code = char.codePointAt(0) as number
    return `&#${code >= 0xd800 && code <= 0xdfff ? 0xfffd : code};`
  })
}
