import * as json from './json-fields.js'
import { type FeedbackEvent, shortDetail } from './types.js'

export interface SendgridEvent {
  /** SendGrid's own id, for recognising a batch delivered twice. */
  readonly id: string | undefined
  readonly feedback: FeedbackEvent
}

/**
 * A SendGrid Event Webhook batch (a JSON list). `bounce` of type `bounce` is hard; of type
 * `blocked`, and `deferred`, soft; `spamreport` is a complaint. Other events carry nothing.
 */
export function sendgridFeedback(body: unknown): SendgridEvent[] {
  return json.list(body, 'the body').flatMap((entry, i): SendgridEvent[] => {
    const event = json.record(entry, `event ${i}`)
    const kind =
      event.event === 'spamreport'
        ? 'complaint'
        : event.event === 'bounce'
          ? event.type === 'blocked'
            ? 'soft_bounce'
            : 'hard_bounce'
          : event.event === 'deferred'
            ? 'soft_bounce'
            : undefined
    if (kind === undefined) return []
    return [
      {
        id: typeof event.sg_event_id === 'string' ? event.sg_event_id : undefined,
        feedback: {
          provider: 'sendgrid',
          kind,
          email: json.text(event.email, `event ${i}: email`),
          detail: shortDetail(
            [event.event, event.type, event.status, event.reason]
              .filter((part) => typeof part === 'string' && part !== '')
              .join(' '),
          ),
        },
      },
    ]
  })
}
