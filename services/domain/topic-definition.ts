import { z } from 'zod'
import { type Checked, type FieldErrors, interestLineProblem, shapeErrors } from './preferences.js'

/** Lower-case letters and digits in words joined by single hyphens: `robotics`, `ml-theory`. */
export const TOPIC_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_SLUG_LENGTH = 40
export const MAX_TOPIC_NAME_LENGTH = 80
export const MAX_TOPIC_DESCRIPTION_LENGTH = 300
export const MAX_TOPIC_LINES = 50

/** What an operator writes for a topic. */
export interface TopicDefinition {
  readonly slug: string
  readonly name: string
  readonly description: string
  readonly interests: readonly string[]
}

/** An edit: only the fields given change; the slug never does (followers refer to it). */
export type TopicChanges = Partial<Omit<TopicDefinition, 'slug'>>

const SLUG_RULE = `must be lower-case letters, digits and single hyphens, such as robotics or ml-theory, at most ${MAX_SLUG_LENGTH} characters`

const slugSchema = z
  .string({ error: SLUG_RULE })
  .max(MAX_SLUG_LENGTH, SLUG_RULE)
  .regex(TOPIC_SLUG, SLUG_RULE)
  .meta({ description: 'the topic’s key in forms and the API; cannot change later' })

const fields = {
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'is required')
    .max(MAX_TOPIC_NAME_LENGTH, `at most ${MAX_TOPIC_NAME_LENGTH} characters`)
    .meta({ description: 'what subscribers see' }),
  description: z
    .string({ error: 'must be a string' })
    .trim()
    .max(MAX_TOPIC_DESCRIPTION_LENGTH, `at most ${MAX_TOPIC_DESCRIPTION_LENGTH} characters`),
  interests: z
    .array(z.string({ error: 'must be a list of strings, one interest line each' }), {
      error: 'must be a list of strings, one interest line each',
    })
    .min(1, 'at least one interest line')
    .max(MAX_TOPIC_LINES, `at most ${MAX_TOPIC_LINES} interest lines`)
    .meta({
      description:
        'interest lines in the query language subscribers use; each must parse, or the request is refused naming the line and why',
    }),
}

/** The body that adds a topic; unknown fields are refused so a typo is not silently ignored. */
export const newTopicSchema = z.strictObject(
  { slug: slugSchema, ...fields, description: fields.description.default('') },
  { error: 'the body must be a JSON object' },
)

/** The body that edits a topic: any of name, description, interests. */
export const topicChangesSchema = z.strictObject(
  {
    name: fields.name.optional(),
    description: fields.description.optional(),
    interests: fields.interests.optional(),
  },
  { error: 'the body must be a JSON object' },
)

export function checkNewTopic(raw: unknown): Checked<TopicDefinition> {
  const parsed = newTopicSchema.safeParse(raw)
  const errors = parsed.success ? {} : shapeErrors(parsed.error)
  checkLines(raw, errors)
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { ...parsed.data, interests: distinctLines(parsed.data.interests) } }
}

export function checkTopicChanges(raw: unknown): Checked<TopicChanges> {
  const parsed = topicChangesSchema.safeParse(raw)
  const errors = parsed.success ? {} : shapeErrors(parsed.error)
  checkLines(raw, errors)
  if (parsed.success && Object.keys(errors).length === 0 && Object.keys(parsed.data).length === 0) {
    errors.body = 'nothing to change: give a name, a description or interests'
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors }
  const { name, description, interests } = parsed.data
  return {
    ok: true,
    value: {
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
      ...(interests === undefined ? {} : { interests: distinctLines(interests) }),
    },
  }
}

/** Every line of `interests` that cannot be used, named by its number and text, with why. */
function checkLines(raw: unknown, errors: FieldErrors): void {
  if (errors.interests) return
  const lines = (raw as { interests?: unknown } | null)?.interests
  if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) return
  const problems: string[] = []
  lines.forEach((line: string, index) => {
    const problem = interestLineProblem(line)
    if (problem) problems.push(`line ${index + 1} (${JSON.stringify(line)}): ${problem}`)
  })
  if (problems.length > 0) errors.interests = problems.join('; ')
}

function distinctLines(lines: readonly string[]): string[] {
  return [...new Set(lines.map((line) => line.trim()))]
}
