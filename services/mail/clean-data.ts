// Bidi embeddings, overrides and isolates let a hostile string visually reorder the text
// around it (a topic name that makes a link read as something else), so they never reach
// an email. Letters, emoji and joiners are left alone.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g
// Line breaks and other control characters become spaces so that one value can never
// forge extra lines in the plain-text part (a fake "Confirm here:" line, say).
const CONTROL_CHARS = /[\p{Cc}\u2028\u2029]/gu
// A digest cleans thousands of strings per email and almost none need it: one test is far
// cheaper than two replaces that copy every string.
// (\p{Cc} is exactly U+0000–U+001F and U+007F–U+009F; spelt out, the test needs no Unicode mode.)
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NEEDS_CLEANING = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/

/** Makes one untrusted string safe to show as a single line of text. */
export function cleanText(value: string): string {
  if (!NEEDS_CLEANING.test(value)) return value
  return value.replace(BIDI_CONTROLS, '').replace(CONTROL_CHARS, ' ')
}

/**
 * Template data with every string cleaned, so each template gets the same protection without
 * having to remember which fields came from users. The input is never modified: whatever holds
 * a string that needs cleaning is copied, and everything already clean (nearly always all of
 * it, since sources clean at ingest) is returned as is, so the common case costs one regex
 * test per string and no copies.
 */
export function cleanData(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value)
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const cleaned = cleanData(item)
      if (cleaned !== item) {
        copy ??= value.slice()
        copy[i] = cleaned
      }
    }
    return copy ?? value
  }
  if (isPlainObject(value)) {
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(value)) {
      const item = value[key]
      const cleaned = cleanData(item)
      if (cleaned !== item) {
        copy ??= { ...value }
        copy[key] = cleaned
      }
    }
    return copy ?? value
  }
  return value
}

// Dates and other class instances pass through untouched: copying their own keys would turn them into `{}`.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
