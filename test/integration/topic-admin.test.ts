import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { findSubscriber } from '../../services/db/repositories/subscribers.js'
import { topicMatches } from '../../services/db/schema/index.js'
import { createTestDatabase } from '../helpers/database.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { decodeEntities } from '../helpers/html.js'
import { clearPrefix, pathOf, startTestRuntime } from '../helpers/runtime.js'

// Operators add, edit and retire topics through the admin API; the form, GET /api/topics and
// the matching of new papers follow at once, and followers of a retired topic keep working.

const ADMIN_TOKEN = 'admin-token-for-topic-admin-tests'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('topic_admin', { adminToken: ADMIN_TOKEN, now: () => clock })

const app = () => {
  const made = env.runtime.app
  if (!made) throw new Error('no HTTP app')
  return made
}
const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  app().inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  })
const publicTopics = async () =>
  (
    (await app().inject({ url: '/api/topics' })).json() as {
      topics: { slug: string; name: string }[]
    }
  ).topics
const formHtml = async () =>
  (await app().inject({ url: '/', headers: { accept: 'text/html' } })).body

let paperNumber = 0
/** Stores one paper with this title and waits until it is matched; returns its id. */
async function paperTitled(title: string): Promise<string> {
  paperNumber += 1
  const id = `2606.9${String(paperNumber).padStart(4, '0')}`
  const body = JSON.stringify({
    papers: [
      {
        id,
        title,
        abstract: `${title}. A study.`,
        authors: ['A. Author'],
        categories: ['cs.LG'],
        publishedAt: clock.toISOString(),
      },
    ],
  })
  expect((await ingestMatched(env.runtime, ADMIN_TOKEN, body)).new).toBe(1)
  return id
}
const topicsMatching = async (paperId: string) =>
  (
    await env.runtime.database.db
      .select({ slug: topicMatches.topicSlug })
      .from(topicMatches)
      .where(eq(topicMatches.paperId, paperId))
  ).map((r) => r.slug)

describe('the admin topic API', () => {
  it('refuses a request without the admin token, like the other admin routes', async () => {
    const response = await app().inject({
      method: 'POST',
      url: '/api/admin/topics',
      headers: { authorization: 'Bearer wrong' },
      payload: { slug: 'x', name: 'X', interests: ['x'] },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({
      error: 'missing or wrong admin token (Authorization: Bearer $ADMIN_TOKEN)',
    })
    expect((await app().inject({ url: '/api/admin/topics' })).statusCode).toBe(401)
  })

  it('names every bad field, and each interest line that does not parse with its text and why', async () => {
    const response = await admin('POST', '/api/admin/topics', {
      slug: 'Robot Arms',
      name: '',
      interests: ['robot*', 'grasping AND', 'NOT humanoid'],
    })
    expect(response.statusCode).toBe(400)
    const { error, details } = response.json() as { error: string; details: Record<string, string> }
    expect(error).toBe('invalid request')
    expect(details.slug).toMatch(/^must be lower-case letters, digits and single hyphens/)
    expect(details.name).toBe('is required')
    expect(details.interests).toMatch(
      /^line 2 \("grasping AND"\): .+; line 3 \("NOT humanoid"\): a line must require something/,
    )
    expect(details.interests).not.toContain('line 1')
    expect(await publicTopics()).not.toContainEqual(expect.objectContaining({ slug: 'Robot Arms' }))
  })

  it('adds a topic that the form and GET /api/topics offer at once and that matches new papers', async () => {
    const response = await admin('POST', '/api/admin/topics', {
      slug: 'quantum-ml',
      name: 'Quantum <ML>',
      description: 'Learning on and about quantum computers.',
      interests: ['quantum AND (learning OR kernel*)', '  category:quant-ph  '],
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({
      topic: {
        slug: 'quantum-ml',
        name: 'Quantum <ML>',
        interests: ['quantum AND (learning OR kernel*)', 'category:quant-ph'],
        builtIn: false,
        retiredAt: null,
      },
    })
    expect(await publicTopics()).toContainEqual(
      expect.objectContaining({ slug: 'quantum-ml', name: 'Quantum <ML>' }),
    )
    const form = await formHtml()
    expect(form).toContain('name="topics" value="quantum-ml"')
    expect(form).toContain('Quantum &lt;ML&gt;')
    expect(form).not.toContain('Quantum <ML>')

    const paper = await paperTitled('Quantum kernels for learning')
    expect(await topicsMatching(paper)).toEqual(['quantum-ml'])

    const again = await admin('POST', '/api/admin/topics', {
      slug: 'quantum-ml',
      name: 'Again',
      interests: ['qubit*'],
    })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({ error: 'topic "quantum-ml" already exists; edit it instead' })
  })

  it('edits the name and lines: papers stored after match the new lines, not the old ones', async () => {
    const response = await admin('PATCH', '/api/admin/topics/quantum-ml', {
      name: 'Quantum machine learning',
      interests: ['qubit*'],
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      topic: {
        name: 'Quantum machine learning',
        interests: ['qubit*'],
        description: 'Learning on and about quantum computers.',
      },
    })
    expect(await publicTopics()).toContainEqual(
      expect.objectContaining({ slug: 'quantum-ml', name: 'Quantum machine learning' }),
    )
    expect(
      await topicsMatching(await paperTitled('Quantum kernels for learning, revisited')),
    ).toEqual([])
    expect(await topicsMatching(await paperTitled('Error-corrected qubits'))).toEqual([
      'quantum-ml',
    ])

    const bad = await admin('PATCH', '/api/admin/topics/quantum-ml', {
      interests: ['qubit*', '"unclosed'],
    })
    expect(bad.statusCode).toBe(400)
    expect((bad.json() as { details: Record<string, string> }).details.interests).toMatch(
      /^line 2 \("\\"unclosed"\): /,
    )
    expect((await admin('PATCH', '/api/admin/topics/quantum-ml', {})).json()).toEqual({
      error: 'invalid request',
      details: { body: 'nothing to change: give a name, a description or interests' },
    })
    expect((await admin('PATCH', '/api/admin/topics/no-such', { name: 'X' })).statusCode).toBe(404)
  })

  it('keeps the built-in trending topic as it is', async () => {
    for (const [method, url, body] of [
      ['PATCH', '/api/admin/topics/trending', { name: 'Hot' }],
      ['POST', '/api/admin/topics/trending/retire', undefined],
    ] as const) {
      const response = await admin(method, url, body)
      expect(response.statusCode).toBe(409)
      expect(response.json()).toEqual({
        error:
          'topic "trending" is built in (computed, not matched): it cannot be edited or retired',
      })
    }
    expect(await publicTopics()).toContainEqual(
      expect.objectContaining({ slug: 'trending', name: 'Trending' }),
    )
  })

  it('retires a topic: gone from the form and the API, matching nothing, its followers unharmed', async () => {
    const follower = await subscribeConfirmed(env.runtime, env.smtp, 'quinn@example.org', {
      topics: ['quantum-ml'],
      hour: 8,
    })
    const before = await paperTitled('Qubit routing on superconducting chips')
    expect(await topicsMatching(before)).toEqual(['quantum-ml'])

    const response = await admin('POST', '/api/admin/topics/quantum-ml/retire')
    expect(response.statusCode).toBe(200)
    expect((response.json() as { topic: { retiredAt: string } }).topic.retiredAt).toBe(
      clock.toISOString(),
    )
    expect((await publicTopics()).map((t) => t.slug)).not.toContain('quantum-ml')
    expect(await formHtml()).not.toContain('value="quantum-ml"')
    const listed = (await admin('GET', '/api/admin/topics')).json() as {
      topics: { slug: string; retiredAt: string | null }[]
    }
    expect(listed.topics.find((t) => t.slug === 'quantum-ml')?.retiredAt).toBe(clock.toISOString())

    expect(await topicsMatching(await paperTitled('Qubit readout with neural networks'))).toEqual(
      [],
    )
    const subscribe = await app().inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: 'late@example.org', topics: ['quantum-ml'] },
    })
    expect(subscribe.statusCode).toBe(400)
    expect(subscribe.json()).toMatchObject({ details: { topics: 'unknown topic(s): quantum-ml' } })

    // The follower's preference centre says so; saving drops it.
    const subscriber = await findSubscriber(env.runtime.database.db, follower)
    if (!subscriber) throw new Error('follower missing')
    const page = await app().inject({
      url: pathOf(env.runtime.services.links().preferences(subscriber)),
      headers: { accept: 'text/html' },
    })
    expect(page.statusCode).toBe(200)
    expect(decodeEntities(page.body)).toContain(
      'No longer offered:</strong> Quantum machine learning.',
    )
    expect(page.body).not.toContain('value="quantum-ml"')

    // What the topic matched before it was retired still reaches them, under its name.
    clock = new Date('2026-06-12T06:00:00Z')
    expect(
      await runDigestsAndWait(env.runtime, () => clock, { now: true, email: 'quinn@example.org' }),
    ).toHaveLength(1)
    const [digest] = digestEmails(env.smtp, 'quinn@example.org')
    expect(digest?.parsed.text).toContain('Qubit routing on superconducting chips')
    expect(digest?.parsed.text).toContain('Quantum machine learning')
    expect(digest?.parsed.text).not.toContain('Qubit readout')

    const twice = await admin('POST', '/api/admin/topics/quantum-ml/retire')
    expect(twice.statusCode).toBe(409)
    expect(twice.json()).toEqual({
      error: 'topic "quantum-ml" is retired; it can no longer be changed',
    })
    const reused = await admin('POST', '/api/admin/topics', {
      slug: 'quantum-ml',
      name: 'Q',
      interests: ['q'],
    })
    expect(reused.statusCode).toBe(409)
  })
})

describe('the admin topic API with ADMIN_TOKEN unset', () => {
  it('answers 404 saying how to enable it, like the other admin routes', async () => {
    const database = await createTestDatabase('topic_admin_off')
    const runtime = await startTestRuntime({ env: { ...database.env, INGEST_CRON: 'off' } })
    try {
      for (const [method, url] of [
        ['GET', '/api/admin/topics'],
        ['POST', '/api/admin/topics/robotics/retire'],
      ] as const) {
        const response = await runtime.app?.inject({
          method,
          url,
          headers: { authorization: 'Bearer anything-at-all-here' },
        })
        expect(response?.statusCode).toBe(404)
        expect(response?.json()).toEqual({
          error: 'admin routes are disabled; set ADMIN_TOKEN to enable them',
        })
      }
    } finally {
      await runtime.close()
      await clearPrefix(runtime.config.queuePrefix)
      await database.drop()
    }
  })
})
