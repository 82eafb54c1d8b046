import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { type DnsRecord, type Rspamd, type SmtpEnvelope, startRspamd } from '../helpers/rspamd.js'
import { eventually } from '../helpers/runtime.js'
import type { ReceivedMail } from '../helpers/smtp.js'
import { describeVerdict, requireCommand, type SpamVerdict } from '../helpers/spam-verdict.js'
import { judgeWithSpamAssassin } from '../helpers/spamassassin.js'
import { TYPESET_PAPERS } from '../helpers/typeset-papers.js'

// The emails a subscriber gets, as the SMTP server received them (rendered, built and
// DKIM-signed by the running service), judged by SpamAssassin and rspamd. The sender is set up
// as docs/deliverability.md says: its DNS (served to rspamd) publishes SPF, the DKIM key and
// DMARC for the From domain. A rule that adds more than INFORMATIONAL to a score fails the test.

const INFORMATIONAL = 0.1
const ADMIN_TOKEN = 'admin-token-for-deliverability-tests'
const RECIPIENT = 'ada@example.net'
const SENDER = {
  domain: 'papers.example.org',
  selector: 'paperboy1',
  host: 'mail.papers.example.org',
  ip: '203.0.113.25',
  web: '203.0.113.10',
}
const MAIL_FROM = `Paperboy <digest@${SENDER.domain}>`
const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 })

const senderDns: DnsRecord[] = [
  { name: SENDER.domain, type: 'txt', replies: [`v=spf1 ip4:${SENDER.ip} -all`] },
  { name: SENDER.domain, type: 'a', replies: [SENDER.web] },
  { name: SENDER.domain, type: 'mx', replies: [`10 ${SENDER.host}`] },
  { name: SENDER.host, type: 'a', replies: [SENDER.ip] },
  {
    name: `${SENDER.selector}._domainkey.${SENDER.domain}`,
    type: 'txt',
    replies: [
      `v=DKIM1; k=rsa; p=${dkimKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
    ],
  },
  {
    name: `_dmarc.${SENDER.domain}`,
    type: 'txt',
    replies: [`v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${SENDER.domain}`],
  },
]

const envelope: SmtpEnvelope = {
  ip: SENDER.ip,
  helo: SENDER.host,
  hostname: SENDER.host,
  mailFrom: `digest@${SENDER.domain}`,
  rcptTo: RECIPIENT,
}

let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('deliverability', {
  adminToken: ADMIN_TOKEN,
  now: () => clock,
  env: {
    PUBLIC_URL: `https://${SENDER.domain}`,
    MAIL_FROM,
    DKIM_DOMAIN: SENDER.domain,
    DKIM_SELECTOR: SENDER.selector,
    DKIM_PRIVATE_KEY: dkimKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  },
})

let rspamd: Rspamd | undefined

beforeAll(async () => {
  for (const command of ['spamassassin', 'rspamd', 'rspamc']) requireCommand(command)
  rspamd = await startRspamd({ dns: senderDns })
})

afterAll(async () => {
  await rspamd?.stop()
})

/** Both filters' verdicts on one email, printed, then held to the targets. */
async function expectDelivered(name: string, mail: ReceivedMail | undefined): Promise<void> {
  if (!mail) throw new Error(`no ${name} arrived`)
  if (!rspamd) throw new Error('rspamd did not start')
  const verdicts: SpamVerdict[] = [
    await judgeWithSpamAssassin(mail.raw),
    await rspamd.judge(mail.raw, envelope),
  ]
  for (const verdict of verdicts) console.log(describeVerdict(name, verdict))
  const [spamAssassin, rspamdVerdict] = verdicts as [SpamVerdict, SpamVerdict]
  for (const verdict of verdicts) {
    const scoring = verdict.rules.filter((rule) => rule.score > INFORMATIONAL)
    expect(scoring, describeVerdict(name, verdict)).toEqual([])
  }
  expect(spamAssassin.score, describeVerdict(name, spamAssassin)).toBeLessThanOrEqual(INFORMATIONAL)
  expect(rspamdVerdict.action, describeVerdict(name, rspamdVerdict)).toBe('no action')
}

describe('deliverability, judged by SpamAssassin and rspamd', () => {
  it('a confirmation email gets through both filters with nothing but informational rules', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, RECIPIENT, {
      topics: ['trending', 'llm-reasoning'],
      interests: ['diffusion', 'model*'],
      hour: 8,
      timezone: 'Europe/Paris',
    })
    const confirmation = env.smtp.to(RECIPIENT)[0]
    expect(confirmation?.parsed.subject).toBe('Confirm your Paperboy subscription')
    expect(confirmation?.raw.toString()).toMatch(/^DKIM-Signature: .*d=papers\.example\.org;/m)
    await expectDelivered('confirmation email', confirmation)
  })

  it('so does the note an active subscriber gets when someone subscribes their address again', async () => {
    const app = env.runtime.app
    if (!app) throw new Error('the runtime has no HTTP app')
    // An address gets at most one email per 10 minutes, and the confirmation was the last.
    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    const before = env.smtp.to(RECIPIENT).length
    const again = await app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: RECIPIENT, topics: ['robotics'] },
    })
    expect(again.statusCode).toBe(202)
    await eventually('the note', async () => env.smtp.to(RECIPIENT).length > before)
    const note = env.smtp.to(RECIPIENT).at(-1)
    expect(note?.parsed.subject).toBe('You already get Paperboy digests')
    await expectDelivered('already-subscribed note', note)
  })

  it('a digest of 25 papers (long abstracts, LaTeX, many scripts) gets through both filters too', async () => {
    await ingestMatched(env.runtime, ADMIN_TOKEN, readFixture('hf-daily-papers-2026-06-12.json'))
    await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify(TYPESET_PAPERS))
    await runDigestsAndWait(env.runtime, () => clock, { now: true, email: RECIPIENT })
    const [digest] = digestEmails(env.smtp, RECIPIENT)
    const text = digest?.parsed.text ?? ''
    expect(text.match(/^ {3}Matched: /gm)).toHaveLength(25)
    expect(text).toContain('$\\mathrm{SO}(3)$')
    expect(text).toContain('Αλέξανδρος Παπαδόπουλος')
    expect(text).toContain('陈思远')
    expect(text).toContain('🍓 Berry')
    expect(digest?.raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m)
    // Judged with "more like this", "mute this author" and "mute this word" under every paper.
    expect(
      String(digest?.parsed.html).match(/href="https:\/\/papers\.example\.org\/triage\//g),
    ).toHaveLength(75)
    await expectDelivered('digest', digest)
  })
})
