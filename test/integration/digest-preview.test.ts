import { describe, expect, it } from 'vitest'
import { previewDigest } from '../../services/usecases/preview-digest.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'

// `paperboy preview` shows the email the subscriber's next digest will be: the same papers,
// for the same reasons, in the same order, including the trending ones, and never a paper
// stored with --no-deliver.

const ADMIN_TOKEN = 'admin-token-for-digest-preview-tests'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('digest_preview', { adminToken: ADMIN_TOKEN, now: () => clock })

/** Papers with more upvotes than any of the day's, stored as a backfill: never delivered. */
const BACKFILL = {
  papers: [1, 2, 3].map((n) => ({
    id: `2606.0999${n}`,
    title: `Backfilled diffusion paper number ${n}`,
    abstract: 'A paper stored with --no-deliver: it is kept, and no digest ever carries it.',
    authors: ['B. Ackfill'],
    upvotes: 100_000 + n,
  })),
}

const HF_DAILY = 'hf-daily-papers-2026-06-12.json'

/** `POST /api/papers?deliver=false`, what `paperboy ingest --no-deliver` does. */
async function backfill(body: string) {
  const response = await env.runtime.app?.inject({
    method: 'POST',
    url: '/api/papers?deliver=false',
    payload: body,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
  })
  expect(response?.statusCode, response?.body).toBe(200)
  return response?.json() as { new: number }
}

/** What `paperboy preview --email` shows, worked out by the running server. */
async function preview(email: string) {
  return previewDigest((await env.runtime.services.commandDeps()).preview, email)
}

/** A digest's text with its links (which differ only in the web-view link) set aside. */
const withoutLinks = (text: string | undefined) =>
  (text ?? '')
    .replace(/http:\/\/paperboy\.test\/\S+/g, '<link>')
    .replace(/\r\n/g, '\n')
    .trim()

/** Previews the next digest, sends it, and checks that the email is the preview. */
async function previewThenSend(runDigests: () => Promise<string[]>) {
  const shown = await preview('ada@example.org')
  expect(shown.total).toBeGreaterThan(0)
  expect(await runDigests()).toHaveLength(1)
  const sent = digestEmails(env.smtp, 'ada@example.org').at(-1)
  expect(sent?.parsed.subject).toBe(shown.rendered?.subject)
  expect(withoutLinks(sent?.parsed.text)).toBe(withoutLinks(shown.rendered?.text))
  for (const paper of BACKFILL.papers) expect(sent?.parsed.text).not.toContain(paper.title)
  return sent
}

describe('preview', () => {
  it('shows exactly the next digest: the matched papers and the trending ones, no backfill', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, 'ada@example.org', {
      interests: ['diffusion'],
      topics: ['trending'],
      hour: 8,
    })
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, readFixture(HF_DAILY))).new).toBe(30)
    expect((await backfill(JSON.stringify(BACKFILL))).new).toBe(3)

    const sent = await previewThenSend(() =>
      runDigestsAndWait(env.runtime, () => clock, { now: true, email: 'ada@example.org' }),
    )
    expect(sent?.parsed.text).toContain('diffusion')
    expect(sent?.parsed.text).toContain('Trending')
  })

  it('shows the scheduled digest that follows: the trending papers not yet sent, no backfill', async () => {
    clock = new Date('2026-06-12T08:00:30Z')
    const sent = await previewThenSend(() =>
      runDigestsAndWait(env.runtime, () => clock, { now: false }),
    )
    expect(sent?.parsed.subject).toMatch(/Trending/)
  })
})
