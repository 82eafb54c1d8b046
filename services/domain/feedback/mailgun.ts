import * as json from './json-fields.js'
import { type FeedbackEvent, shortDetail } from './types.js'

export interface MailgunSignature {
  readonly timestamp: string
  readonly token: string
  readonly signature: string
}

/** Mailgun's webhook body: `signature` to check, `event-data` to read. */
export function readMailgunWebhook(body: unknown): {
  signature: MailgunSignature
  eventData: Record<string, unknown>
} {
  const hook = json.record(body, 'the body')
  const signed = json.record(hook.signature, 'signature')
  return {
    signature: {
      timestamp: json.text(signed.timestamp, 'signature.timestamp'),
      token: json.text(signed.token, 'signature.token'),
      signature: json.text(signed.signature, 'signature.signature'),
    },
    eventData: json.record(hook['event-data'], 'event-data'),
  }
}

/** `failed` with severity `permanent` is hard, `temporary` soft; `complained` is a complaint. */
export function mailgunFeedback(eventData: Record<string, unknown>): FeedbackEvent[] {
  const event = eventData.event
  if (event === 'complained') {
    return [
      {
        provider: 'mailgun',
        kind: 'complaint',
        email: json.text(eventData.recipient, 'event-data.recipient'),
        detail: 'complained',
      },
    ]
  }
  if (event !== 'failed') return []
  const status =
    typeof eventData['delivery-status'] === 'object' && eventData['delivery-status'] !== null
      ? (eventData['delivery-status'] as Record<string, unknown>)
      : {}
  return [
    {
      provider: 'mailgun',
      kind: eventData.severity === 'permanent' ? 'hard_bounce' : 'soft_bounce',
      email: json.text(eventData.recipient, 'event-data.recipient'),
      detail: shortDetail(
        [eventData.severity, eventData.reason, status.code, status.message ?? status.description]
          .filter((part) => part !== undefined && part !== null && part !== '')
          .join(' '),
      ),
    },
  ]
}
