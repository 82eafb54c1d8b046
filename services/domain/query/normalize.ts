import { foldPlural } from './plural.js'

/**
 * One word of a text, after normalisation: NFKC, case-folded, diacritics removed, split at
 * anything that is not a letter or digit, regular plurals folded to the singular.
 */
export interface Token {
  /** Position of the word in its text, counting from 0. */
  readonly index: number
  /** Lower-cased, diacritics removed, plural folded: what key phrases and terms compare. */
  readonly word: string
  /** Lower-cased, diacritics removed, plural kept: what quoted phrases compare. */
  readonly exact: string
}

// "model's" and "LLM's" should read as "model" and "LLM", not as an extra word "s" that would
// break the key phrase "LLM familiarity" in "an LLM's familiarity".
const POSSESSIVE = /(?<=[\p{L}\p{N}])['\u2019]s(?![\p{L}\p{N}])/gu
const MARKS = /[\p{Mn}\p{Me}]/gu
// Chinese and Japanese are written without spaces; each character counts as a word so that a
// phrase of characters can still be found inside a sentence. A word starts with a letter or
// digit; spacing marks (\p{Mc}, vowel signs of Indic scripts) continue it but never start one.
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}'
const WORD = new RegExp(
  `(?=[\\p{L}\\p{N}])[${CJK}]|(?![${CJK}])[\\p{L}\\p{N}](?:(?![${CJK}])[\\p{L}\\p{N}\\p{Mc}])*`,
  'gu',
)

// Most lines and papers are plain ASCII, where NFKC and removing marks change nothing and the
// Unicode classes above are just letters and digits: the same result, several times faster.
const ASCII = /^\p{ASCII}*$/u
const ASCII_POSSESSIVE = /(?<=[A-Za-z0-9])'s(?![A-Za-z0-9])/g
const ASCII_WORD = /[A-Za-z0-9]+/g

export const isAscii = (text: string): boolean => ASCII.test(text)

function stripMarks(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').normalize('NFC')
}

/** Case folding, beyond toLowerCase, for the letters whose fold is not their lower case. */
export function caseFold(word: string): string {
  const lower = word.toLowerCase().replaceAll('ß', 'ss').replaceAll('ς', 'σ')
  // Some lower-casings add a combining mark (İ → i̇); they must not survive as diacritics.
  return lower.length === word.length ? lower : stripMarks(lower)
}

/**
 * Splits a text into normalised words: NFKC, case-folded, diacritics removed, split at
 * anything that is not a letter or digit, plurals folded. Total: returns [] for "" or for
 * a text with no letters or digits.
 */
export function tokenize(text: string): Token[] {
  const ascii = isAscii(text)
  const cleaned = ascii
    ? text.replace(ASCII_POSSESSIVE, '')
    : stripMarks(text.normalize('NFKC').replace(POSSESSIVE, ''))
  const tokens: Token[] = []
  for (const match of cleaned.matchAll(ascii ? ASCII_WORD : WORD)) {
    const original = match[0]
    const exact = ascii ? original.toLowerCase() : caseFold(original)
    tokens.push({ index: tokens.length, word: foldPlural(original, exact), exact })
  }
  return tokens
}

/** The folded words of a text, for tests and callers that do not need positions. */
export function normalizeWords(text: string): string[] {
  return tokenize(text).map((t) => t.word)
}
