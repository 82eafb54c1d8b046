import type { Redis } from 'ioredis'
import type { SnsEnvelope } from '../../domain/feedback/ses.js'
import type { Logger } from '../../logger.js'

/** SNS confirmation links stay valid for three days. */
const KEEP_SECONDS = 3 * 24 * 3600

// Only Amazon's own SNS endpoints: the link is shown to an operator to open, never fetched here.
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/

interface Deps {
  readonly redis: Redis
  readonly config: { readonly queuePrefix: string }
}

const keyOf = (prefix: string) => `${prefix}:sns-confirmations`

/**
 * Keeps an SNS subscription's confirmation link for an operator to open. Paperboy never follows
 * a URL from a request body: SNS signs the message, but the certificate that proves it is
 * fetched from a URL in the same body, and an endpoint that fetches what it is told to is a
 * server-side request forgery waiting to happen. The request was authenticated by
 * SES_WEBHOOK_SECRET; the link must also point at Amazon's SNS over https.
 */
export async function rememberSnsConfirmation(
  deps: Deps & { readonly feedback: { readonly logger: Logger } },
  envelope: Exclude<SnsEnvelope, { type: 'Notification' }>,
): Promise<void> {
  let url: URL
  try {
    url = new URL(envelope.subscribeUrl)
  } catch {
    return
  }
  if (url.protocol !== 'https:' || !SNS_HOST.test(url.hostname)) {
    deps.feedback.logger.warn(
      { topicArn: envelope.topicArn, host: url.hostname },
      'SNS confirmation link ignored: not an https link to Amazon SNS',
    )
    return
  }
  const key = keyOf(deps.config.queuePrefix)
  await deps.redis
    .multi()
    .hset(
      key,
      envelope.topicArn,
      JSON.stringify({ type: envelope.type, subscribeUrl: url.toString() }),
    )
    .expire(key, KEEP_SECONDS)
    .exec()
  deps.feedback.logger.warn(
    { topicArn: envelope.topicArn, type: envelope.type },
    'SNS asks to confirm a subscription; GET /admin/sns-confirmations (ADMIN_TOKEN) shows the link to open',
  )
}

export async function pendingSnsConfirmations(deps: Deps) {
  const entries = await deps.redis.hgetall(keyOf(deps.config.queuePrefix))
  return Object.entries(entries).map(([topicArn, value]) => ({
    topicArn,
    ...(JSON.parse(value) as { type: string; subscribeUrl: string }),
  }))
}
