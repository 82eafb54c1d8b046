import { z } from 'zod'
import { subscriptionRequestSchema } from '../domain/preferences.js'
import { MAX_INTEREST_LENGTH } from '../domain/query/index.js'
import { newTopicSchema, topicChangesSchema } from '../domain/topic-definition.js'
import { PREVIEW_WINDOW } from '../usecases/preview-window.js'

/**
 * The JSON API's route schemas, written once in zod: Fastify validates requests with them
 * (plugins/openapi.ts), handlers get their types, and /docs renders them. A refused request
 * answers 400 `{"error":"invalid request","details":{"<field>":"<message>"}}` with the
 * messages below (plugins/errors.ts).
 */

/** A whole number from a query string, with one message for every way it can be wrong. */
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message)
}

const error = z.object({
  error: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})

const paper = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  authors: z.array(z.string()),
  categories: z.array(z.string()),
  publishedAt: z.iso.datetime().nullable(),
  url: z.string().nullable(),
  upvotes: z.int().nullable(),
  organization: z.string().nullable(),
  aiKeywords: z.array(z.string()),
  version: z.int().nullable(),
  sources: z.array(z.string()),
  firstSeenAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

const ingestReport = z.object({
  format: z
    .enum(['json', 'hf-daily', 'arxiv', 'arxiv-rss'])
    .nullable()
    .meta({ description: 'the format detected; null when nothing was read' }),
  new: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  rejected: z.array(z.object({ index: z.int(), id: z.string().optional(), reason: z.string() })),
})

const managedTopic = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  interests: z.array(z.string()),
  updatedAt: z.iso.datetime(),
  retiredAt: z.iso
    .datetime()
    .nullable()
    .meta({ description: 'when it was retired; null while on offer' }),
})

const topicSlugParams = z.object({ slug: z.string() })

/** Every admin topic route answers the same refusals. */
const topicRefusals = { 400: error, 401: error, 404: error, 409: error }

export const apiSchemas = {
  subscribe: {
    summary: 'Subscribe an address (double opt-in)',
    description:
      'Always answers 202 for a valid request, whether the address is new, pending or active; the address gets at most one email per 10 minutes.',
    tags: ['subscriptions'],
    body: subscriptionRequestSchema,
    response: {
      202: z.object({ status: z.literal('pending') }),
      400: error,
      429: error,
    },
  },
  topics: {
    summary: 'The curated topics and their interest lines',
    tags: ['subscriptions'],
    response: {
      200: z.object({
        topics: z.array(
          z.object({
            slug: z.string(),
            name: z.string(),
            description: z.string(),
            builtIn: z.boolean(),
            interests: z.array(z.string()),
          }),
        ),
      }),
    },
  },
  preview: {
    summary: 'What one interest line would have matched recently',
    tags: ['interests'],
    querystring: z.object({
      q: z
        .string({ error: 'is required: one interest line' })
        .trim()
        .min(1, 'is required: one interest line')
        .meta({
          description: `one interest line of at most ${MAX_INTEREST_LENGTH} characters; a line that does not parse is refused with where and why`,
        }),
      days: wholeNumber(1, PREVIEW_WINDOW.days).default(7),
    }),
    response: {
      200: z.object({
        query: z.string().meta({ description: 'the line as Paperboy reads it' }),
        days: z.int(),
        total: z.int(),
        perDay: z.number(),
        papers: z.array(z.record(z.string(), z.unknown())),
      }),
      400: error,
    },
  },
  listPapers: {
    summary: 'Papers first stored at or after `since`, newest first',
    tags: ['papers'],
    querystring: z.object({
      since: z.iso
        .datetime({ offset: true, error: 'must be an ISO time such as 2026-06-12T00:00:00Z' })
        .optional(),
      limit: wholeNumber(1, 1000).default(50),
    }),
    response: {
      200: z.object({ papers: z.array(paper) }),
      400: error,
    },
  },
  ingestPapers: {
    summary: 'Ingest a batch (admin)',
    description:
      'The body may be Paperboy JSON, Hugging Face daily-papers JSON, arXiv Atom or RSS; the format is detected from the content. `deliver=false` stores without matching.',
    tags: ['papers'],
    security: [{ admin: [] }],
    querystring: z.object({
      deliver: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    }),
    response: { 200: ingestReport, 400: error, 401: error, 404: error, 413: error },
  },
  listManagedTopics: {
    summary: 'Every topic, retired ones included (admin)',
    tags: ['topics'],
    security: [{ admin: [] }],
    response: { 200: z.object({ topics: z.array(managedTopic) }), 401: error, 404: error },
  },
  addTopic: {
    summary: 'Add a topic (admin)',
    description:
      'On the subscribe form, in GET /api/topics and matching new papers at once. Every interest line must parse: a refused one is named with its number, its text and why. 409 when the slug is taken (a retired topic keeps its slug).',
    tags: ['topics'],
    security: [{ admin: [] }],
    body: newTopicSchema,
    response: { 201: z.object({ topic: managedTopic }), ...topicRefusals },
  },
  editTopic: {
    summary: 'Edit a topic’s name, description or interest lines (admin)',
    description:
      'Only the fields given change; `interests` replaces the lines as a whole. Papers stored from then on are matched against the new lines. 409 for the built-in `trending` and for retired topics.',
    tags: ['topics'],
    security: [{ admin: [] }],
    params: topicSlugParams,
    body: topicChangesSchema,
    response: { 200: z.object({ topic: managedTopic }), ...topicRefusals },
  },
  retireTopic: {
    summary: 'Retire a topic (admin)',
    description:
      'It leaves the subscribe form and GET /api/topics and matches no new paper. Its followers keep it until they next save their preferences (the preference centre says it is retired); what it matched before still reaches them. 409 for the built-in `trending` and for a topic already retired.',
    tags: ['topics'],
    security: [{ admin: [] }],
    params: topicSlugParams,
    response: { 200: z.object({ topic: managedTopic }), ...topicRefusals },
  },
  healthz: { summary: 'Liveness', tags: ['operations'] },
  readyz: { summary: 'Readiness: PostgreSQL and Redis answer', tags: ['operations'] },
}
