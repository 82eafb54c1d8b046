import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../services/config.js'
import { judgeComplaintRate } from '../../../services/domain/feedback/complaint-rate.js'
import { deliveryReportFeedback } from '../../../services/domain/feedback/delivery-report.js'
import { postmarkFeedback } from '../../../services/domain/feedback/postmark.js'
import { sendgridFeedback } from '../../../services/domain/feedback/sendgrid.js'
import { sesFeedback } from '../../../services/domain/feedback/ses.js'
import { snsStringToSign } from '../../../services/domain/feedback/sns-signature.js'
import { requireWebhookSecret } from '../../../services/http/webhooks/require-secret.js'
import {
  readSnsCertificate,
  snsSignatureValid,
} from '../../../services/http/webhooks/signatures.js'
import { redactSecrets } from '../../../services/logging/redact-secrets.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/feedback/${name}`, import.meta.url), 'utf8')

describe('reports of bounces and complaints', () => {
  it('reads each recipient of an RFC 3464 report by its Action and Status', () => {
    expect(deliveryReportFeedback(fixture('dsn-multi-recipient.eml'))).toEqual({
      events: [
        expect.objectContaining({ kind: 'hard_bounce', email: 'nobody@example.com' }),
        expect.objectContaining({ kind: 'soft_bounce', email: 'full@example.com' }),
        expect.objectContaining({ kind: 'soft_bounce', email: 'slow@example.com' }),
      ],
      originalMessageId: '<digest-2-2@paperboy.test>',
    })
  })

  it('reads the Message-ID of the message reported, whichever way the report quotes it', () => {
    // A DSN with text/rfc822-headers, an ARF with message/rfc822, an ARF with headers only.
    expect(deliveryReportFeedback(fixture('dsn-hard-bounce.eml')).originalMessageId).toBe(
      '<digest-1-1@paperboy.test>',
    )
    const arf = fixture('arf-complaint.eml')
    expect(deliveryReportFeedback(arf).originalMessageId).toBe('<digest-3-3@paperboy.test>')
    const headersOnly = arf
      .replace('Content-Type: message/rfc822', 'Content-Type: text/rfc822-headers')
      .replace(
        'Message-ID: <digest-3-3@paperboy.test>',
        'Message-Id:\n  <digest-3-3@paperboy.test>',
      )
    expect(deliveryReportFeedback(headersOnly).originalMessageId).toBe('<digest-3-3@paperboy.test>')
    // No message quoted, or no Message-ID in it: nothing ties the report to a message.
    const bare = fixture('dsn-hard-bounce.eml').replace(
      /Message-ID: <digest-1-1@paperboy\.test>\n/,
      '',
    )
    expect(deliveryReportFeedback(bare).originalMessageId).toBeUndefined()
    expect(
      deliveryReportFeedback(arf.replace('<digest-3-3@paperboy.test>', 'not-an-id'))
        .originalMessageId,
    ).toBeUndefined()
  })

  it('reads an RFC 5965 complaint, and a not-spam report as nothing', () => {
    const arf = fixture('arf-complaint.eml')
    expect(deliveryReportFeedback(arf).events).toEqual([
      {
        provider: 'arf',
        kind: 'complaint',
        email: 'annoyed@isp.example',
        detail: 'feedback-type abuse',
      },
    ])
    expect(
      deliveryReportFeedback(arf.replace('Feedback-Type: abuse', 'Feedback-Type: not-spam')).events,
    ).toEqual([])
    // A provider that redacts Original-Rcpt-To: the reported message's To is used.
    expect(
      deliveryReportFeedback(arf.replace('Original-Rcpt-To: <annoyed@isp.example>\n', '')).events[0]
        ?.email,
    ).toBe('annoyed@isp.example')
  })

  it('says what is wrong with a report it cannot read', () => {
    expect(() => deliveryReportFeedback('Subject: hello\n\nhi')).toThrow(/^not a delivery report/)
    const noRecipient = fixture('dsn-hard-bounce.eml').replace(/Action: failed\n/, '')
    expect(() => deliveryReportFeedback(noRecipient)).toThrow(
      /names no recipient \(no Action field\)/,
    )
    expect(() => sesFeedback('{"notificationType":"Bounce"}')).toThrow(
      /^Message.bounce: expected a JSON object/,
    )
    expect(() => postmarkFeedback({ RecordType: 'Bounce' })).toThrow(
      /^Email: expected a non-empty string/,
    )
    expect(() => sendgridFeedback([{ event: 'bounce' }])).toThrow(/^event 0: email/)
  })

  it('sorts provider bounce types into hard, soft and complaint', () => {
    expect(
      postmarkFeedback({ RecordType: 'Bounce', Type: 'SoftBounce', Email: 'a@b.example' })[0]?.kind,
    ).toBe('soft_bounce')
    expect(
      postmarkFeedback({ RecordType: 'Bounce', Type: 'SpamNotification', Email: 'a@b.example' })[0]
        ?.kind,
    ).toBe('complaint')
    expect(postmarkFeedback({ RecordType: 'Delivery', Email: 'a@b.example' })).toEqual([])
    expect(
      sendgridFeedback([
        { event: 'bounce', type: 'bounce', email: 'a@b.example' },
        { event: 'bounce', type: 'blocked', email: 'b@b.example' },
        { event: 'delivered', email: 'c@b.example' },
      ]).map((e) => e.feedback.kind),
    ).toEqual(['hard_bounce', 'soft_bounce'])
    expect(
      sesFeedback(
        JSON.stringify({
          eventType: 'Complaint',
          complaint: { complainedRecipients: [{ emailAddress: 'a@b.example' }] },
        }),
      )[0]?.kind,
    ).toBe('complaint')
  })
})

describe('the complaint rate', () => {
  const policy = { threshold: 0.003, minSent: 1000, windowDays: 7 }
  it('pauses only over the threshold and from the minimum sample', () => {
    expect(judgeComplaintRate({ complaints: 3, sent: 1000 }, policy).overThreshold).toBe(false)
    expect(judgeComplaintRate({ complaints: 4, sent: 1000 }, policy).overThreshold).toBe(true)
    expect(judgeComplaintRate({ complaints: 4, sent: 999 }, policy).overThreshold).toBe(false)
    expect(judgeComplaintRate({ complaints: 0, sent: 0 }, policy).rate).toBe(0)
  })
})

describe('webhook configuration', () => {
  it('reads the secrets and the complaint policy, naming a bad variable in one line', () => {
    expect(loadConfig({}).complaints).toEqual({ threshold: 0.003, minSent: 1000, windowDays: 7 })
    expect(loadConfig({ COMPLAINT_RATE_THRESHOLD: '0.1' }).complaints.threshold).toBeCloseTo(0.001)
    expect(() => loadConfig({ SES_WEBHOOK_SECRET: 'short' })).toThrow(
      new ConfigError('SES_WEBHOOK_SECRET: must be at least 16 characters (got "short")'),
    )
    expect(() => loadConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: 'bm90IGEga2V5' })).toThrow(
      /^SENDGRID_WEBHOOK_PUBLIC_KEY: must be the ECDSA P-256 public key/,
    )
    expect(() => loadConfig({ COMPLAINT_RATE_THRESHOLD: '0' })).toThrow(
      /^COMPLAINT_RATE_THRESHOLD: must be a percentage greater than 0/,
    )
  })

  it('answers 404 for an endpoint whose secret is unset, 401 for a wrong one', async () => {
    const app = Fastify()
    app.post(
      '/off',
      { onRequest: requireWebhookSecret(undefined, 'SES_WEBHOOK_SECRET', { inQuery: true }) },
      async () => 'ok',
    )
    app.post(
      '/on',
      {
        onRequest: requireWebhookSecret('a-secret-of-16-chars', 'SES_WEBHOOK_SECRET', {
          inQuery: true,
        }),
      },
      async () => 'ok',
    )
    const off = await app.inject({ method: 'POST', url: '/off' })
    expect(off.statusCode).toBe(404)
    expect(off.json().error).toBe('this webhook is disabled; set SES_WEBHOOK_SECRET to enable it')
    expect((await app.inject({ method: 'POST', url: '/on?secret=nope' })).statusCode).toBe(401)
    expect(
      (await app.inject({ method: 'POST', url: '/on?secret=a-secret-of-16-chars' })).body,
    ).toBe('ok')
  })

  it('keeps the secret in a webhook address out of the logs', () => {
    expect(redactSecrets('POST /webhooks/ses?secret=a-secret-of-16-chars')).toBe(
      'POST /webhooks/ses?secret=[redacted]',
    )
    expect(
      redactSecrets('https://user:a-secret-of-16-chars@paperboy.example/webhooks/postmark'),
    ).not.toContain('a-secret')
  })
})

describe('SNS signatures, when a certificate is configured', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString()
  const envelope = {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:paperboy-feedback',
    Subject: 'Amazon SES Email Event Notification',
    Message: '{"notificationType":"Complaint"}',
    Timestamp: '2026-06-12T05:45:24.813Z',
    SignatureVersion: '2',
  }
  const signed = (digest: string, fields: Record<string, string>) => ({
    ...fields,
    Signature: sign(digest, Buffer.from(snsStringToSign(fields)), privateKey).toString('base64'),
  })

  it('verifies what SNS signs, in its order, and nothing changed', () => {
    expect(snsStringToSign(envelope)).toBe(
      'Message\n{"notificationType":"Complaint"}\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nAmazon SES Email Event Notification\nTimestamp\n2026-06-12T05:45:24.813Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:paperboy-feedback\nType\nNotification\n',
    )
    const key = readSnsCertificate(pem.replace(/\n/g, '\\n'))
    expect(snsSignatureValid(key, signed('sha256', envelope))).toBe(true)
    expect(snsSignatureValid(key, signed('sha1', { ...envelope, SignatureVersion: '1' }))).toBe(
      true,
    )
    expect(snsSignatureValid(key, { ...signed('sha256', envelope), Message: '{}' })).toBe(false)
    expect(snsSignatureValid(key, signed('sha256', { ...envelope, SignatureVersion: '3' }))).toBe(
      false,
    )
    expect(() => loadConfig({ SES_SNS_CERTIFICATE: 'nope' })).toThrow(
      /^SES_SNS_CERTIFICATE: must be the PEM/,
    )
  })
})
