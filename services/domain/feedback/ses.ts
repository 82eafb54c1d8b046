import { list, record, text } from './json-fields.js'
import {
  type FeedbackEvent,
  type FeedbackKind,
  shortDetail,
  UnreadableReportError,
} from './types.js'

/** What an SNS HTTP(S) delivery is, by its `Type`. */
export type SnsEnvelope =
  | { readonly type: 'Notification'; readonly messageId: string; readonly message: string }
  | {
      readonly type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'
      readonly messageId: string
      readonly topicArn: string
      readonly subscribeUrl: string
    }

/** Reads the SNS envelope (the HTTP body); the SES notification is the string in `Message`. */
export function readSnsEnvelope(body: unknown): SnsEnvelope {
  const envelope = record(body, 'the body')
  const type = envelope.Type
  const messageId = text(envelope.MessageId, 'MessageId')
  if (type === 'Notification')
    return { type, messageId, message: text(envelope.Message, 'Message') }
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') {
    return {
      type,
      messageId,
      topicArn: text(envelope.TopicArn, 'TopicArn'),
      subscribeUrl: text(envelope.SubscribeURL, 'SubscribeURL'),
    }
  }
  throw new UnreadableReportError(
    `Type: expected Notification, SubscriptionConfirmation or UnsubscribeConfirmation (got ${JSON.stringify(type)})`,
  )
}

/**
 * The bounces and complaints in one SES notification (`notificationType`, or `eventType` for
 * SES event publishing). Deliveries and other types carry none. SES calls a bounce
 * `Permanent` (hard), `Transient` or `Undetermined` (both counted as soft).
 */
export function sesFeedback(message: string): FeedbackEvent[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(message)
  } catch {
    throw new UnreadableReportError('Message: not JSON (expected an SES notification)')
  }
  const notification = record(parsed, 'Message')
  const type = notification.notificationType ?? notification.eventType
  if (type === 'Bounce') {
    const bounce = record(notification.bounce, 'Message.bounce')
    const kind: FeedbackKind = bounce.bounceType === 'Permanent' ? 'hard_bounce' : 'soft_bounce'
    return list(bounce.bouncedRecipients, 'Message.bounce.bouncedRecipients').map((entry, i) => {
      const recipient = record(entry, `Message.bounce.bouncedRecipients[${i}]`)
      return {
        provider: 'ses',
        kind,
        email: text(recipient.emailAddress, `bouncedRecipients[${i}].emailAddress`),
        detail: shortDetail(
          [bounce.bounceType, bounce.bounceSubType, recipient.status, recipient.diagnosticCode]
            .filter((part) => typeof part === 'string' && part !== '')
            .join(' '),
        ),
      }
    })
  }
  if (type === 'Complaint') {
    const complaint = record(notification.complaint, 'Message.complaint')
    const feedbackType =
      typeof complaint.complaintFeedbackType === 'string'
        ? complaint.complaintFeedbackType
        : 'complaint'
    return list(complaint.complainedRecipients, 'Message.complaint.complainedRecipients').map(
      (entry, i) => ({
        provider: 'ses',
        kind: 'complaint',
        email: text(
          record(entry, `complainedRecipients[${i}]`).emailAddress,
          `complainedRecipients[${i}].emailAddress`,
        ),
        detail: shortDetail(feedbackType),
      }),
    )
  }
  return []
}
