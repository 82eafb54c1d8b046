import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { and, count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { findSubscriberIdByEmail } from '../../services/db/repositories/subscribers.js'
import { digests, mailFeedback, subscribers } from '../../services/db/schema/index.js'
import { snsStringToSign } from '../../services/domain/feedback/sns-signature.js'
import { createLogger } from '../../services/logger.js'
import { runDigests } from '../../services/usecases/run-digests.js'
import { runCli, useCliEnvironment } from '../helpers/cli.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { sampleValue } from '../helpers/prometheus.js'
import { eventually } from '../helpers/runtime.js'

// Bounces and complaints reported after sending, through each provider's webhook over real
// HTTP with signatures made here, and through delivery reports given to the CLI; then the
// complaint rate pausing digests until an operator resumes them.

const ADMIN_TOKEN = 'admin-token-for-bounce-tests-1234'
const SES_SECRET = 'ses-webhook-secret-0123456789'
const POSTMARK_SECRET = 'postmark-webhook-secret-0123456789'
const MAILGUN_KEY = 'mailgun-signing-key-0123456789abcdef'
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const SENDGRID_PUBLIC_KEY = sendgridKeys.publicKey
  .export({ format: 'der', type: 'spki' })
  .toString('base64')
// Stands in for Amazon's SNS signing certificate: the test signs SNS messages with its key.
const snsKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const FEEDBACK_ENV = {
  SES_SNS_CERTIFICATE: snsKeys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  SES_WEBHOOK_SECRET: SES_SECRET,
  POSTMARK_WEBHOOK_SECRET: POSTMARK_SECRET,
  MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY,
  SENDGRID_WEBHOOK_PUBLIC_KEY: SENDGRID_PUBLIC_KEY,
  // A handful of digests is a sample here; 0.3 % is the default threshold.
  COMPLAINT_MIN_SENT: '5',
}

// Near the real time: `paperboy bounces` and `paperboy sending` run on the real clock, and the
// complaint rate counts over the days before it.
const MINUTE = 60_000
const START = Math.floor(Date.now() / MINUTE) * MINUTE
let clock = new Date(START)
const logLines: string[] = []
const env = deliveryEnvironment('bounces', {
  adminToken: ADMIN_TOKEN,
  now: () => clock,
  env: FEEDBACK_ENV,
  logger: createLogger('info', { destination: { write: (line: string) => logLines.push(line) } }),
})
const db = () => env.runtime.database.db
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/feedback/${name}`, import.meta.url))

/** The Message-ID of the first digest Paperboy sent to this address. */
async function sentMessageId(email: string): Promise<string> {
  const [row] = await db()
    .select({ messageId: digests.messageId })
    .from(digests)
    .where(
      and(
        eq(digests.subscriberId, (await findSubscriberIdByEmail(db(), email)) ?? 0),
        eq(digests.status, 'sent'),
      ),
    )
    .orderBy(digests.id)
    .limit(1)
  if (!row?.messageId) throw new Error(`no digest sent to ${email}`)
  return row.messageId
}

const reportsDir = mkdtempSync(join(tmpdir(), 'paperboy-reports-'))
/** A fixture report as a file, quoting this Message-ID for the message it reports. */
function reportQuoting(name: string, messageId: string, edit = (text: string) => text): string {
  const text = edit(readFileSync(fixture(name), 'utf8'))
  const quoted = text.replace(/^Message-ID: <digest-[^>]+>$/m, `Message-ID: ${messageId}`)
  if (quoted === text) throw new Error(`${name} quotes no digest Message-ID`)
  const path = join(reportsDir, `${randomBytes(4).toString('hex')}-${name}`)
  writeFileSync(path, quoted)
  return path
}

const feedbackRows = async () =>
  Number((await db().select({ n: count() }).from(mailFeedback))[0]?.n ?? 0)

let base = ''
/** A real HTTP request to the running server. */
async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

const seconds = () => String(Math.floor(clock.getTime() / 1000))

function mailgunBody(
  eventData: object,
  options: { timestamp?: string; token?: string; key?: string } = {},
) {
  const timestamp = options.timestamp ?? seconds()
  const token = options.token ?? randomBytes(25).toString('hex')
  const signature = createHmac('sha256', options.key ?? MAILGUN_KEY)
    .update(timestamp + token)
    .digest('hex')
  return JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData })
}

function sendgridRequest(
  events: object[],
  options: { timestamp?: string; privateKey?: typeof sendgridKeys.privateKey } = {},
) {
  const body = Buffer.from(JSON.stringify(events))
  const timestamp = options.timestamp ?? seconds()
  const signature = sign(
    'sha256',
    Buffer.concat([Buffer.from(timestamp), body]),
    options.privateKey ?? sendgridKeys.privateKey,
  ).toString('base64')
  return {
    body,
    headers: {
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': timestamp,
    },
  }
}

function snsNotification(message: object, options: { signature?: string } = {}) {
  const fields = {
    Type: 'Notification',
    MessageId: randomBytes(16).toString('hex'),
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:paperboy-feedback',
    Message: JSON.stringify(message),
    Timestamp: clock.toISOString(),
    SignatureVersion: '2',
  }
  const signature =
    options.signature ??
    sign('sha256', Buffer.from(snsStringToSign(fields)), snsKeys.privateKey).toString('base64')
  return JSON.stringify({ ...fields, Signature: signature })
}

const basic = (password: string) => ({
  authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}`,
})

const statusOf = async (email: string) => {
  const id = await findSubscriberIdByEmail(db(), email)
  const [row] = await db()
    .select({ status: subscribers.status })
    .from(subscribers)
    .where(eq(subscribers.id, id ?? 0))
  return row?.status
}

let paperCounter = 0
/** Papers every subscriber here matches (they all follow "diffusion"). */
const ingestDiffusionPapers = (count: number) =>
  ingestMatched(
    env.runtime,
    ADMIN_TOKEN,
    JSON.stringify({
      papers: Array.from({ length: count }, () => {
        paperCounter++
        return {
          id: `2606.${String(90000 + paperCounter)}`,
          title: `Diffusion models for bounce handling, part ${paperCounter}`,
          abstract: 'We study diffusion.',
        }
      }),
    }),
  )

const metricsText = async () =>
  (
    await env.runtime.app?.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  )?.body ?? ''

const PEOPLE = [
  'ada@example.org',
  'bob@example.org',
  'cyd@example.org',
  'dan@example.org',
  'gone@example.net',
  'nobody@example.com',
  'annoyed@isp.example',
  'fay@example.org',
  'gus@example.org',
]

describe('bounces and complaints', () => {
  it('sends everyone a first digest', async () => {
    base = (await env.runtime.app?.listen({ port: 0, host: '127.0.0.1' })) ?? ''
    for (const email of PEOPLE)
      await subscribeConfirmed(env.runtime, env.smtp, email, { interests: ['diffusion'] })
    await ingestDiffusionPapers(2)
    await runDigestsAndWait(env.runtime, () => clock, { now: true })
    for (const email of PEOPLE) expect(digestEmails(env.smtp, email), email).toHaveLength(1)
  })

  it('refuses a webhook without the right secret or signature, saying why', async () => {
    const bounce = snsNotification({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.org' }] },
    })
    const noSecret = await post('/webhooks/ses', bounce)
    expect(noSecret.status).toBe(401)
    expect(noSecret.json.error).toMatch(/SES_WEBHOOK_SECRET/)
    expect((await post('/webhooks/ses?secret=wrong-secret-of-some-length', bounce)).status).toBe(
      401,
    )
    expect((await post('/webhooks/postmark', '{}', basic('not-the-postmark-secret'))).status).toBe(
      401,
    )

    const failed = { event: 'failed', severity: 'permanent', recipient: 'ada@example.org' }
    const forged = await post(
      '/webhooks/mailgun',
      mailgunBody(failed, { key: 'another-key-0123456789abcdef' }),
    )
    expect(forged.status).toBe(401)
    expect(forged.json.error).toMatch(/^bad signature/)
    const stale = await post(
      '/webhooks/mailgun',
      mailgunBody(failed, { timestamp: String(Math.floor(clock.getTime() / 1000) - 3600) }),
    )
    expect(stale.status).toBe(401)
    expect(stale.json.error).toMatch(/^stale timestamp: 3600 s/)

    const spam = [{ email: 'fay@example.org', event: 'spamreport', sg_event_id: 'forged-1' }]
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
    const wrongKey = sendgridRequest(spam, { privateKey: otherKey })
    const refused = await post('/webhooks/sendgrid', wrongKey.body, wrongKey.headers)
    expect(refused.status).toBe(401)
    expect(refused.json.error).toMatch(/^bad signature/)
    // Signed, then changed on the way: the signature covers the raw bytes.
    const signed = sendgridRequest(spam)
    const tampered = Buffer.from(signed.body.toString().replace('fay@', 'gus@'))
    expect((await post('/webhooks/sendgrid', tampered, signed.headers)).status).toBe(401)
    const old = sendgridRequest(spam, {
      timestamp: String(Math.floor(clock.getTime() / 1000) - 600),
    })
    expect((await post('/webhooks/sendgrid', old.body, old.headers)).json.error).toMatch(
      /^stale timestamp/,
    )
    const unsigned = await post('/webhooks/sendgrid', signed.body)
    expect(unsigned.status).toBe(401)

    const huge = await post('/webhooks/ses', Buffer.alloc(2 * 1024 * 1024, 32), {
      authorization: basic(SES_SECRET).authorization,
    })
    expect(huge.status).toBe(413)
    // Mailgun's body is read before its signature: it is kept small.
    expect((await post('/webhooks/mailgun', Buffer.alloc(100 * 1024, 32))).status).toBe(413)
    // A SendGrid batch far over the app's 32 KB form limit is taken (nothing in it is ours).
    const batch = sendgridRequest(
      Array.from({ length: 2000 }, (_, i) => ({
        email: `x${i}@elsewhere.example`,
        event: 'delivered',
      })),
    )
    expect(batch.body.length).toBeGreaterThan(64 * 1024)
    expect((await post('/webhooks/sendgrid', batch.body, batch.headers)).status).toBe(200)
    const notJson = await post('/webhooks/ses', 'Type=Notification', basic(SES_SECRET))
    expect(notJson.status).toBe(400)
    expect(notJson.json.error).toMatch(/^the body is not JSON/)

    // Nothing refused changed anyone.
    for (const email of ['ada@example.org', 'fay@example.org', 'gus@example.org'])
      expect(await statusOf(email)).toBe('active')
  })

  it('suppresses hard bounces from each provider and only counts soft ones', async () => {
    const mailgun = await post(
      '/webhooks/mailgun',
      mailgunBody({
        event: 'failed',
        severity: 'permanent',
        recipient: 'ada@example.org',
        reason: 'bounce',
        'delivery-status': { code: 550, message: '5.1.1 The email account does not exist' },
      }),
    )
    expect(mailgun).toEqual({
      status: 200,
      json: expect.objectContaining({ hardBounces: 1, suppressed: 1 }),
    })

    // A replayed Mailgun delivery (same token) is refused.
    const once = mailgunBody({
      event: 'failed',
      severity: 'temporary',
      recipient: 'dan@example.org',
    })
    expect((await post('/webhooks/mailgun', once)).status).toBe(200)
    const replay = await post('/webhooks/mailgun', once)
    expect(replay.status).toBe(409)
    expect(replay.json.error).toMatch(/replayed/)

    const postmark = await post(
      '/webhooks/postmark',
      JSON.stringify({
        RecordType: 'Bounce',
        Type: 'HardBounce',
        TypeCode: 1,
        Email: 'bob@example.org',
        Description: 'The server was unable to deliver your message',
        Inactive: true,
      }),
      basic(POSTMARK_SECRET),
    )
    expect(postmark.json).toMatchObject({ hardBounces: 1, suppressed: 1 })

    const ses = await post(
      `/webhooks/ses?secret=${SES_SECRET}`,
      snsNotification({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: 'CYD@Example.org',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
        },
        mail: { destination: ['cyd@example.org'] },
      }),
    )
    expect(ses.json).toMatchObject({ hardBounces: 1, suppressed: 1 })
    const transient = await post(
      '/webhooks/ses',
      snsNotification({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 'dan@example.org' }],
        },
      }),
      basic(SES_SECRET),
    )
    expect(transient.json).toMatchObject({ softBounces: 1, suppressed: 0 })

    expect(await statusOf('ada@example.org')).toBe('bounced')
    expect(await statusOf('bob@example.org')).toBe('bounced')
    expect(await statusOf('cyd@example.org')).toBe('bounced')
    expect(await statusOf('dan@example.org')).toBe('active')
  })

  it('reads RFC 3464 delivery status notifications given to `paperboy bounces`', async () => {
    useCliEnvironment({
      database: env.database,
      queuePrefix: env.runtime.config.queuePrefix,
      dataDir: env.runtime.config.dataDir,
      extra: { ...FEEDBACK_ENV, SMTP_URL: env.smtp.url },
    })
    // Anyone can mail the bounce alias: a report is believed only when the message it quotes is
    // one Paperboy sent to the address it names.
    const rowsBefore = await feedbackRows()
    const unknownId = await runCli(
      'bounces',
      '--file',
      reportQuoting('dsn-hard-bounce.eml', '<digest-999999-1@paperboy.test>'),
    )
    expect(unknownId.code, unknownId.err).toBe(0)
    expect(unknownId.out).toMatch(
      /: 0 hard bounce\(s\), 0 soft bounce\(s\), 0 complaint\(s\); 0 address\(es\) suppressed, 0 not subscribed; 1 ignored \(no Message-ID Paperboy sent to gone@example\.net\)$/,
    )
    // dan's digest, reported as bouncing at gone's address.
    const othersId = await runCli(
      'bounces',
      '--file',
      reportQuoting('dsn-hard-bounce.eml', await sentMessageId('dan@example.org')),
    )
    expect(othersId.out).toMatch(
      /; 1 ignored \(no Message-ID Paperboy sent to gone@example\.net\)$/,
    )
    expect(await statusOf('gone@example.net')).toBe('active')
    expect(await statusOf('dan@example.org')).toBe('active')
    expect(await feedbackRows()).toBe(rowsBefore)

    const single = await runCli(
      'bounces',
      '--file',
      reportQuoting('dsn-hard-bounce.eml', await sentMessageId('gone@example.net')),
    )
    expect(single.code, single.err).toBe(0)
    expect(single.out).toMatch(
      /dsn-hard-bounce\.eml: 1 hard bounce\(s\), 0 soft bounce\(s\), 0 complaint\(s\); 1 address\(es\) suppressed, 0 not subscribed$/,
    )
    // The message reported went to nobody@ alone: what it says of other addresses is not believed.
    const multi = await runCli(
      'bounces',
      '--file',
      reportQuoting('dsn-multi-recipient.eml', await sentMessageId('nobody@example.com')),
    )
    expect(multi.out).toMatch(
      /1 hard bounce\(s\), 0 soft bounce\(s\), 0 complaint\(s\); 1 address\(es\) suppressed, 0 not subscribed; 2 ignored \(no Message-ID Paperboy sent to full@example\.com; no Message-ID Paperboy sent to slow@example\.com\)$/,
    )
    expect(await statusOf('gone@example.net')).toBe('bounced')
    expect(await statusOf('nobody@example.com')).toBe('bounced')

    const notAReport = await runCli('bounces', '--file', fixture('../../../package.json'))
    expect(notAReport.code).toBe(1)
    expect(notAReport.err).toMatch(
      /(^|\n)paperboy: not a delivery report: expected Content-Type multipart\/report/,
    )
  })

  it('sends nothing more to a suppressed address', async () => {
    // `--now` digests are one period per minute: a later one is another.
    clock = new Date(START + MINUTE)
    await ingestDiffusionPapers(1)
    await runDigestsAndWait(env.runtime, () => clock, { now: true })
    for (const email of [
      'ada@example.org',
      'bob@example.org',
      'cyd@example.org',
      'gone@example.net',
      'nobody@example.com',
    ])
      expect(digestEmails(env.smtp, email), email).toHaveLength(1)
    for (const email of [
      'dan@example.org',
      'annoyed@isp.example',
      'fay@example.org',
      'gus@example.org',
    ])
      expect(digestEmails(env.smtp, email), email).toHaveLength(2)
  })

  it('pauses digests when complaints pass the threshold, shows it, and sends them once on resume', async () => {
    // 9 + 4 digests sent; one complaint is 7.7 %, far over 0.3 %.
    const spam = sendgridRequest([
      {
        email: 'fay@example.org',
        event: 'spamreport',
        sg_event_id: 'spam-1',
        timestamp: Number(seconds()),
      },
      { email: 'dan@example.org', event: 'open', sg_event_id: 'open-1' },
    ])
    const complaint = await post('/webhooks/sendgrid', spam.body, spam.headers)
    expect(complaint.json).toMatchObject({ complaints: 1, suppressed: 1, paused: true })
    expect(await statusOf('fay@example.org')).toBe('unsubscribed')
    // The same batch again (SendGrid retries) counts nothing twice.
    expect((await post('/webhooks/sendgrid', spam.body, spam.headers)).json).toMatchObject({
      complaints: 0,
    })

    const paused = await metricsText()
    expect(sampleValue(paused, 'paperboy_sending_paused')).toBe(1)
    expect(sampleValue(paused, 'paperboy_complaint_rate')).toBeCloseTo(1 / 13, 5)
    expect(
      sampleValue(paused, 'paperboy_mail_feedback_total', {
        provider: 'sendgrid',
        type: 'complaint',
      }),
    ).toBe(1)
    expect(
      sampleValue(paused, 'paperboy_mail_feedback_total', { provider: 'ses', type: 'soft_bounce' }),
    ).toBe(1)
    const status = await env.runtime.app?.inject({
      url: '/admin/sending',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(status?.json()).toMatchObject({ paused: true, complaints: 1, sent: 13 })
    expect(status?.json().reason).toMatch(
      /^complaint rate 1 complaint\(s\) \/ 13 digest\(s\) sent = 7\.692 % over the last 7 days/,
    )
    // Announced once, with the figures.
    const announced = logLines
      .map(
        (line) =>
          JSON.parse(line) as { level: number; msg: string; complaints?: number; sent?: number },
      )
      .filter((line) => line.msg.startsWith('digest sending paused'))
    expect(announced).toEqual([expect.objectContaining({ level: 50, complaints: 1, sent: 13 })])
    const cliStatus = await runCli('sending', 'status')
    expect(cliStatus.out).toMatch(
      new RegExp(
        `^sending: paused since ${new Date(START + MINUTE).toISOString()} \\(complaint rate 1 complaint`,
      ),
    )

    // Forged complaints, naming gus with a made-up Message-ID or with dan's: nothing changes.
    const rowsBefore = await feedbackRows()
    for (const messageId of [
      '<digest-424242-7@paperboy.test>',
      await sentMessageId('dan@example.org'),
    ]) {
      const forged = await runCli(
        'bounces',
        '--file',
        reportQuoting('arf-complaint.eml', messageId, (text) =>
          text.replaceAll('annoyed@isp.example', 'gus@example.org'),
        ),
      )
      expect(forged.out).toMatch(/; 1 ignored \(no Message-ID Paperboy sent to gus@example\.org\)/)
    }
    expect(await statusOf('gus@example.org')).toBe('active')
    expect(await feedbackRows()).toBe(rowsBefore)

    // The ARF report from the mailbox, about a digest annoyed@ was sent, is a complaint too.
    const annoyedId = await sentMessageId('annoyed@isp.example')
    const arf = await runCli('bounces', '--file', reportQuoting('arf-complaint.eml', annoyedId))
    expect(arf.out).toMatch(
      /0 hard bounce\(s\), 0 soft bounce\(s\), 1 complaint\(s\); 1 address\(es\) suppressed, 0 not subscribed; digest sending is paused/,
    )
    expect(await statusOf('annoyed@isp.example')).toBe('unsubscribed')
    // The rate counts complaining subscribers, each once: neither the same complaint again nor
    // a complaint about an address that is no subscriber raises it.
    const repeated = await runCli(
      'bounces',
      '--file',
      reportQuoting('arf-complaint.eml', annoyedId),
    )
    expect(repeated.out).toMatch(/1 complaint\(s\); 0 address\(es\) suppressed/)
    const stranger = sendgridRequest([
      { email: 'stranger@elsewhere.example', event: 'spamreport', sg_event_id: 'spam-stranger' },
    ])
    expect((await post('/webhooks/sendgrid', stranger.body, stranger.headers)).json).toMatchObject({
      complaints: 1,
      suppressed: 0,
    })
    const rate = await env.runtime.app?.inject({
      url: '/admin/sending',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(rate?.json()).toMatchObject({ complaints: 2, sent: 13 })

    // New papers; dan and gus are due a digest, which waits.
    clock = new Date(START + 2 * MINUTE)
    await ingestDiffusionPapers(1)
    const ids = await runDigests(
      { db: db(), queues: env.runtime.queues, now: () => clock },
      { now: true },
    )
    expect(ids).toHaveLength(2)
    for (const id of ids) {
      await eventually(`digest job ${id} held back`, async () =>
        (await env.runtime.queues.mail.getJob(id))?.isDelayed(),
      )
    }
    // Confirmations still go out while digests wait.
    await subscribeConfirmed(env.runtime, env.smtp, 'ivy@example.org', { interests: ['diffusion'] })
    expect(digestEmails(env.smtp, 'dan@example.org')).toHaveLength(2)
    expect(digestEmails(env.smtp, 'gus@example.org')).toHaveLength(2)

    const resumed = await env.runtime.app?.inject({
      method: 'POST',
      url: '/admin/sending/resume',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(resumed?.json()).toMatchObject({ wasPaused: true, released: 2, paused: false })
    for (const email of ['dan@example.org', 'gus@example.org'])
      await eventually(
        `${email}'s held digest`,
        async () => digestEmails(env.smtp, email).length === 3,
      )
    for (const id of ids) {
      await eventually(`digest job ${id} done`, async () =>
        (await env.runtime.queues.mail.getJob(id))?.isCompleted(),
      )
    }
    // A second resume finds nothing held, and nothing arrives twice.
    const again = await runCli('sending', 'resume')
    expect(again.out).toBe('sending was not paused; 0 held digest(s) released')
    expect(digestEmails(env.smtp, 'dan@example.org')).toHaveLength(3)
    expect(digestEmails(env.smtp, 'gus@example.org')).toHaveLength(3)
    const sent = await db()
      .select({ id: digests.id })
      .from(digests)
      .where(eq(digests.status, 'sent'))
    expect(sent).toHaveLength(15)
    expect(sampleValue(await metricsText(), 'paperboy_sending_paused')).toBe(0)

    // The webhooks' secrets were in URLs and headers of every request above; none was logged.
    expect(logLines.length).toBeGreaterThan(50)
    for (const secret of [SES_SECRET, POSTMARK_SECRET, MAILGUN_KEY]) {
      expect(logLines.filter((line) => line.includes(secret))).toEqual([])
    }
    expect(logLines.some((line) => line.includes('/webhooks/ses?secret=[redacted]'))).toBe(true)
  })
})
