import { z } from 'zod'
import { MAX_INTEREST_LENGTH, parseInterest } from './query/index.js'

/** `announcements`: after each arXiv announcement (Sunday to Thursday evenings, US Eastern). */
export const FREQUENCIES = ['daily', 'weekly', 'announcements'] as const
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const MAX_INTERESTS = 25
export const MAX_TOPICS = 10

export type Frequency = (typeof FREQUENCIES)[number]
export type Weekday = (typeof WEEKDAYS)[number]

/** What a subscriber chooses; the same shape for the form, the JSON API and the preference centre. */
export interface Preferences {
  readonly topics: readonly string[]
  readonly interests: readonly string[]
  readonly frequency: Frequency
  readonly weekday: Weekday
  readonly hour: number
  readonly timezone: string
}

export const DEFAULT_PREFERENCES: Preferences = {
  topics: [],
  interests: [],
  frequency: 'daily',
  weekday: 'mon',
  hour: 8,
  timezone: 'UTC',
}

/** Field name -> message; `interests` messages say which line, where and why. */
export type FieldErrors = Record<string, string>

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors }

const preferencesShape = {
  topics: z
    .array(z.string({ error: 'must be a list of topic slugs' }), {
      error: 'must be a list of topic slugs',
    })
    .max(MAX_TOPICS, `at most ${MAX_TOPICS} topics`)
    .optional(),
  interests: z
    .array(z.string({ error: 'must be a list of strings, one interest each' }), {
      error: 'must be a list of strings, one interest each',
    })
    .optional(),
  frequency: z
    .enum(FREQUENCIES, { error: 'must be "daily", "weekly" or "announcements"' })
    .optional(),
  weekday: z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }).optional(),
  hour: z
    .number({ error: 'must be a whole number from 0 to 23' })
    .int('must be a whole number from 0 to 23')
    .min(0, 'must be a whole number from 0 to 23')
    .max(23, 'must be a whole number from 0 to 23')
    .optional(),
  timezone: z.string({ error: 'must be an IANA time zone name' }).optional(),
}

/** The JSON API's body: unknown fields are refused so a typo is not silently ignored. */
export const subscriptionRequestSchema = z.strictObject(
  { email: z.string({ error: 'is required and must be a string' }), ...preferencesShape },
  { error: 'the body must be a JSON object' },
)
export const preferencesSchema = z.strictObject(preferencesShape, {
  error: 'the body must be a JSON object',
})

/**
 * Checks preferences: at most MAX_TOPICS known topics and MAX_INTERESTS interest lines, each
 * one that parses, and a schedule that exists. Every problem is reported at once, each under
 * its field, so a form can show them all.
 */
export function checkPreferences(
  raw: unknown,
  knownTopics: ReadonlySet<string>,
  schema: z.ZodType<Partial<Preferences>> = preferencesSchema,
): Checked<Preferences> {
  const parsed = schema.safeParse(raw)
  const errors: FieldErrors = parsed.success ? {} : shapeErrors(parsed.error)
  // Fields of the right shape are checked further even when others are wrong, so every problem shows at once.
  const fields = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? (value as string[])
      : undefined
  const topics = errors.topics ? undefined : strings(fields.topics)
  const unknown = (topics ?? []).filter((slug) => !knownTopics.has(slug))
  if (unknown.length > 0) errors.topics = `unknown topic(s): ${unknown.join(', ')}`
  const lines = errors.interests ? undefined : strings(fields.interests)
  const interestError = lines && checkInterestLines(lines)
  if (interestError) errors.interests = interestError
  const timezone = fields.timezone
  if (!errors.timezone && typeof timezone === 'string' && !isTimeZone(timezone)) {
    errors.timezone = 'must be an IANA time zone name such as Europe/Paris'
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors }
  const value = { ...DEFAULT_PREFERENCES, ...stripUndefined(parsed.data) }
  return {
    ok: true,
    value: {
      topics: [...new Set(value.topics)],
      interests: [...new Set(value.interests.map((line) => line.trim()))],
      frequency: value.frequency,
      weekday: value.weekday,
      hour: value.hour,
      timezone: value.timezone,
    },
  }
}

/** A zod error as field -> its first message; unknown fields are named as such. */
export function shapeErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors[key] ??= 'unknown field'
      continue
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body'
    errors[field] ??= issue.message
  }
  return errors
}

/** Splits a textarea into interest lines: trimmed, blank lines dropped. */
export function interestLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

function checkInterestLines(lines: readonly string[]): string | undefined {
  if (lines.length > MAX_INTERESTS) {
    return `at most ${MAX_INTERESTS} interests (got ${lines.length})`
  }
  const problems: string[] = []
  lines.forEach((line, index) => {
    const problem = interestLineProblem(line)
    if (problem) problems.push(`line ${index + 1}: ${problem}`)
  })
  return problems.length > 0 ? problems.join('; ') : undefined
}

/** Why one interest line (a subscriber's or a topic's) cannot be used, or undefined when it can. */
export function interestLineProblem(line: string): string | undefined {
  if (/[\r\n]/.test(line)) return 'must be a single line'
  if (line.trim() === '') return 'is empty'
  if (line.trim().length > MAX_INTEREST_LENGTH) {
    return `longer than ${MAX_INTEREST_LENGTH} characters`
  }
  const result = parseInterest(line.trim())
  return result.ok ? undefined : result.error.message
}

function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
