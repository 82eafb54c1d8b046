import { z } from 'zod'
import { subscriptionRequestSchema } from '../domain/preferences.js'

/** JSON Schema of a zod schema, for the OpenAPI document (zod stays the validator). */
const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>

const error = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['error'],
}

const paper = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    abstract: { type: 'string' },
    authors: { type: 'array', items: { type: 'string' } },
    categories: { type: 'array', items: { type: 'string' } },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    url: { type: ['string', 'null'] },
    upvotes: { type: ['integer', 'null'] },
    organization: { type: ['string', 'null'] },
    aiKeywords: { type: 'array', items: { type: 'string' } },
    version: { type: ['integer', 'null'] },
    sources: { type: 'array', items: { type: 'string' } },
    firstSeenAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
}

const ingestReport = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: ['json', 'hf-daily', 'arxiv', 'arxiv-rss'] },
    new: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          id: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
  },
}

/** Route schemas for the OpenAPI document at /docs. */
export const apiSchemas = {
  subscribe: {
    summary: 'Subscribe an address (double opt-in)',
    description:
      'Always answers 202 for a valid request, whether the address is new, pending or active; the address gets at most one email per 10 minutes.',
    tags: ['subscriptions'],
    body: json(subscriptionRequestSchema),
    response: {
      202: { type: 'object', properties: { status: { type: 'string', const: 'pending' } } },
      400: error,
      429: error,
    },
  },
  topics: {
    summary: 'The curated topics and their interest lines',
    tags: ['subscriptions'],
    response: {
      200: {
        type: 'object',
        properties: {
          topics: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                slug: { type: 'string' },
                name: { type: 'string' },
                description: { type: 'string' },
                builtIn: { type: 'boolean' },
                interests: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
  preview: {
    summary: 'What one interest line would have matched recently',
    tags: ['interests'],
    querystring: {
      type: 'object',
      properties: {
        q: { type: 'string', maxLength: 200 },
        days: { type: 'integer', minimum: 1, maximum: 90, default: 7 },
      },
      required: ['q'],
    },
    response: {
      200: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'the line as Paperboy reads it' },
          days: { type: 'integer' },
          total: { type: 'integer' },
          perDay: { type: 'number' },
          papers: { type: 'array', items: { type: 'object', additionalProperties: true } },
        },
      },
      400: error,
    },
  },
  listPapers: {
    summary: 'Papers first stored at or after `since`, newest first',
    tags: ['papers'],
    querystring: {
      type: 'object',
      properties: {
        since: { type: 'string', format: 'date-time' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
      },
    },
    response: {
      200: { type: 'object', properties: { papers: { type: 'array', items: paper } } },
      400: error,
    },
  },
  ingestPapers: {
    summary: 'Ingest a batch (admin)',
    description:
      'The body may be Paperboy JSON, Hugging Face daily-papers JSON, arXiv Atom or RSS; the format is detected from the content. `deliver=false` stores without matching.',
    tags: ['papers'],
    security: [{ admin: [] }],
    querystring: {
      type: 'object',
      properties: { deliver: { type: 'string', enum: ['true', 'false'] } },
    },
    response: { 200: ingestReport, 400: error, 401: error, 404: error, 413: error },
  },
  healthz: { summary: 'Liveness', tags: ['operations'] },
  readyz: { summary: 'Readiness: PostgreSQL and Redis answer', tags: ['operations'] },
}
