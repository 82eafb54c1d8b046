import { describe, expect, it } from 'vitest'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { linksIn, pathOf } from '../helpers/runtime.js'

// DIGEST_THUMBNAILS=off: the operator does not want digests to load images from the sources'
// servers. The cards keep every fact; the email and the page show no image, and the page's
// CSP allows none from outside.

const ADMIN_TOKEN = 'admin-token-for-thumbnails-off-tests'
const EMAIL = 'ada@example.org'
const env = deliveryEnvironment('digest_thumbnails_off', {
  adminToken: ADMIN_TOKEN,
  now: () => new Date('2026-06-12T05:00:00Z'),
  env: { DIGEST_THUMBNAILS: 'off' },
})

describe('DIGEST_THUMBNAILS=off', () => {
  it('sends cards without thumbnails, and the digest page has none and allows none', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, EMAIL, {
      interests: ['author:"Rafal Kocielnik"'],
    })
    await ingestMatched(env.runtime, ADMIN_TOKEN, readFixture('hf-daily-papers-2026-06-12.json'))
    const clock = () => new Date('2026-06-12T05:00:00Z')
    expect(await runDigestsAndWait(env.runtime, clock, { now: true })).toHaveLength(1)
    const [mail] = digestEmails(env.smtp, EMAIL)
    const html = String(mail?.parsed.html)
    const text = mail?.parsed.text ?? ''
    expect(html).not.toContain('<img')
    expect(html).not.toContain('cdn-thumbnails')
    expect(text).toContain(
      '\n   California institute of technology · arXiv 2606.00467 · 30 May 2026\n',
    )

    const link = linksIn(text).find((l) => l.includes('/digests/')) ?? ''
    const page = await env.runtime.app?.inject({ url: pathOf(link) })
    expect(page?.statusCode).toBe(200)
    expect(page?.body).not.toContain('<img')
    expect(page?.body).toContain('<li>California institute of technology</li>')
    expect(page?.headers['content-security-policy']).toMatch(/img-src 'self' data:;/)
  })
})
