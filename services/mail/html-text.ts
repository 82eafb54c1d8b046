import { cleanText } from './clean-data.js'

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
// What is left to write differently once a value is cleaned. Code units, not code points: a
// surrogate pair comes as two matches (see escapeOne).
const SPECIAL = /[&<>"'`=\u0080-\uFFFF]/g
const BEYOND_LATIN1 = /[\u0100-\uFFFF]/

/**
 * One untrusted value as HTML text: cleaned as cleanText cleans every value in an email (bidi
 * controls dropped, other control characters and line separators made spaces), escaped, and
 * with every character beyond ASCII written as a character reference. The HTML part then holds
 * only ASCII, so its length is its size in bytes (what the 100 KB limit is about) and it travels
 * as cheaply as text can.
 */
export function htmlText(value: string): string {
  // Most values are plain ASCII words: one native scan settles them.
  if (!NEEDS_WORK.test(value)) return value
  // Cleaned first, as a whole: a bidi control between the halves of a surrogate pair goes,
  // and the pair is one character again, as in the text part.
  const escaped = cleanText(value).replace(SPECIAL, escapeOne)
  // ASCII now, but stored two bytes per character if the value was, and one such piece makes
  // V8 store the whole email that way: twice the bytes to flatten, measure and encode.
  return BEYOND_LATIN1.test(value) ? Buffer.from(escaped, 'latin1').toString('latin1') : escaped
}

// The value is cleaned: what matches is markup or beyond ASCII.
function escapeOne(char: string, at: number, value: string): string {
  const code = char.charCodeAt(0)
  if (code < 0x80) return ENTITIES[char] as string
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
