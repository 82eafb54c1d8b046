import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { mailgunFeedback, readMailgunWebhook } from '../../domain/feedback/mailgun.js'
import { postmarkFeedback } from '../../domain/feedback/postmark.js'
import { sendgridFeedback } from '../../domain/feedback/sendgrid.js'
import { readSnsEnvelope, sesFeedback } from '../../domain/feedback/ses.js'
import { type FeedbackEvent, UnreadableReportError } from '../../domain/feedback/types.js'
import { type FeedbackReport, recordFeedback } from '../../usecases/record-feedback.js'
import type { HttpDeps } from '../deps.js'
import { redisReplayGuard } from '../webhooks/replay-guard.js'
import { disabledUnless, requireWebhookSecret } from '../webhooks/require-secret.js'
import {
  mailgunSignatureValid,
  readSendgridPublicKey,
  readSnsCertificate,
  SIGNATURE_MAX_AGE_SECONDS,
  sendgridSignatureValid,
  snsSignatureValid,
  staleTimestamp,
} from '../webhooks/signatures.js'
import { rememberSnsConfirmation } from '../webhooks/sns-confirmations.js'

/**
 * Body limits. SendGrid batches many events in one post; SNS messages are at most 256 KB; the
 * others carry one event of a few KB. Mailgun's signature is inside its JSON, so its body is
 * parsed before anyone is known: it gets the smallest limit.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = {
  sendgrid: 1024 * 1024,
  ses: 256 * 1024,
  postmark: 256 * 1024,
  mailgun: 64 * 1024,
}

/**
 * POST /webhooks/{ses,postmark,mailgun,sendgrid}: bounces and complaints from the mail
 * provider. Signatures are checked over the raw bytes, so these routes read every body as a
 * buffer, whatever its content type, and parse JSON themselves. What an unauthenticated caller
 * can cause is a hash or one signature check; the database is written only for a verified
 * request, in one statement per batch.
 */
export const feedbackWebhookRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (
  app,
  { deps },
) => {
  const { webhooks } = deps.config
  app.removeAllContentTypeParsers()
  // No limit of its own: each route's bodyLimit applies.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  const seen = redisReplayGuard(deps.redis, deps.config.queuePrefix, 2 * SIGNATURE_MAX_AGE_SECONDS)
  const deliveries = redisReplayGuard(deps.redis, deps.config.queuePrefix, 24 * 3600)
  const sendgridKey = webhooks.sendgridPublicKey
    ? readSendgridPublicKey(webhooks.sendgridPublicKey)
    : undefined
  const snsKey = webhooks.snsCertificate ? readSnsCertificate(webhooks.snsCertificate) : undefined

  /** Records what was read; ids already seen are skipped, and forgotten again if recording fails. */
  const record = async (batches: { id: string | undefined; events: FeedbackEvent[] }[]) => {
    const identified = batches.filter((b) => b.id !== undefined)
    // An id twice in one post is a first time once: the second SET NX in the pipeline fails.
    const firstTime = await deliveries.firstOfMany(identified.map((b) => b.id as string))
    const fresh = [
      ...batches.filter((b) => b.id === undefined),
      ...identified.filter((_b, i) => firstTime[i]),
    ]
    try {
      return await recordFeedback(
        deps.feedback,
        fresh.flatMap((b) => b.events),
      )
    } catch (error) {
      for (const batch of fresh) if (batch.id !== undefined) await deliveries.forget(batch.id)
      throw error
    }
  }

  app.post(
    '/webhooks/ses',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT_BYTES.ses,
      onRequest: requireWebhookSecret(webhooks.sesSecret, 'SES_WEBHOOK_SECRET', { inQuery: true }),
    },
    (request, reply) =>
      answer(reply, async () => {
        const body = jsonOf(request.body)
        const envelope = readSnsEnvelope(body)
        // The secret proved the sender; a configured certificate is checked as well.
        if (snsKey && !snsSignatureValid(snsKey, body as Record<string, unknown>)) {
          return refuse(
            reply,
            401,
            'bad signature: Signature does not verify with SES_SNS_CERTIFICATE',
          )
        }
        if (envelope.type !== 'Notification') {
          await rememberSnsConfirmation(deps, envelope)
          return { subscription: 'not confirmed: see GET /admin/sns-confirmations' }
        }
        return summary(
          await record([
            { id: `sns:${envelope.messageId}`, events: sesFeedback(envelope.message) },
          ]),
        )
      }),
  )

  app.post(
    '/webhooks/postmark',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT_BYTES.postmark,
      onRequest: requireWebhookSecret(webhooks.postmarkSecret, 'POSTMARK_WEBHOOK_SECRET', {
        inQuery: false,
      }),
    },
    (request, reply) =>
      answer(reply, async () =>
        summary(await record([{ id: undefined, events: postmarkFeedback(jsonOf(request.body)) }])),
      ),
  )

  app.post(
    '/webhooks/mailgun',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT_BYTES.mailgun,
      onRequest: disabledUnless(webhooks.mailgunSigningKey, 'MAILGUN_WEBHOOK_SIGNING_KEY'),
    },
    (request, reply) =>
      answer(reply, async () => {
        const { signature, eventData } = readMailgunWebhook(jsonOf(request.body))
        const key = webhooks.mailgunSigningKey ?? ''
        if (!mailgunSignatureValid(key, signature))
          return refuse(
            reply,
            401,
            'bad signature: signature.signature is not the HMAC-SHA256 of timestamp and token with MAILGUN_WEBHOOK_SIGNING_KEY',
          )
        const stale = staleTimestamp(signature.timestamp, deps.now())
        if (stale) return refuse(reply, 401, `${stale}; signature.timestamp`)
        if (!(await seen.first(`mailgun-token:${signature.token}`)))
          return refuse(reply, 409, 'replayed: this signature.token was already used')
        try {
          return summary(await record([{ id: undefined, events: mailgunFeedback(eventData) }]))
        } catch (error) {
          await seen.forget(`mailgun-token:${signature.token}`)
          throw error
        }
      }),
  )

  app.post(
    '/webhooks/sendgrid',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT_BYTES.sendgrid,
      onRequest: disabledUnless(webhooks.sendgridPublicKey, 'SENDGRID_WEBHOOK_PUBLIC_KEY'),
    },
    (request, reply) =>
      answer(reply, async () => {
        const signature = header(request.headers['x-twilio-email-event-webhook-signature'])
        const timestamp = header(request.headers['x-twilio-email-event-webhook-timestamp'])
        if (!signature || !timestamp) {
          return refuse(
            reply,
            401,
            'missing X-Twilio-Email-Event-Webhook-Signature or X-Twilio-Email-Event-Webhook-Timestamp',
          )
        }
        const stale = staleTimestamp(timestamp, deps.now())
        if (stale) return refuse(reply, 401, `${stale}; X-Twilio-Email-Event-Webhook-Timestamp`)
        const body = bufferOf(request.body)
        if (!sendgridKey || !sendgridSignatureValid(sendgridKey, timestamp, body, signature)) {
          return refuse(
            reply,
            401,
            'bad signature: X-Twilio-Email-Event-Webhook-Signature does not verify over the timestamp and body with SENDGRID_WEBHOOK_PUBLIC_KEY',
          )
        }
        const events = sendgridFeedback(jsonOf(body))
        return summary(
          await record(
            events.map((e) => ({ id: e.id && `sendgrid:${e.id}`, events: [e.feedback] })),
          ),
        )
      }),
  )
}

/** Unreadable input is the sender's fault (400, saying what and where); anything else is ours. */
async function answer(reply: FastifyReply, handle: () => Promise<unknown>) {
  try {
    return await handle()
  } catch (error) {
    if (error instanceof UnreadableReportError) return refuse(reply, 400, error.message)
    throw error
  }
}

function refuse(reply: FastifyReply, status: number, error: string) {
  return reply.code(status).send({ error })
}

function bufferOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0)
}

function jsonOf(body: unknown): unknown {
  const raw = bufferOf(body)
  if (raw.length === 0) throw new UnreadableReportError('the body is empty: expected JSON')
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch (error) {
    throw new UnreadableReportError(`the body is not JSON: ${(error as Error).message}`)
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function summary(report: FeedbackReport) {
  return {
    hardBounces: report.hardBounces,
    softBounces: report.softBounces,
    complaints: report.complaints,
    suppressed: report.suppressed,
    paused: report.paused,
  }
}
