import { allParts, readMimePart } from './mime-parts.js'
import { addressIn, readFieldBlocks } from './report-fields.js'
import { type FeedbackEvent, shortDetail, UnreadableReportError } from './types.js'

/** What a report received by mail says, and which message it says it is about. */
export interface MailboxReport {
  readonly events: FeedbackEvent[]
  /**
   * The Message-ID (with its angle brackets) in the headers of the message reported, as the
   * report quotes them; undefined when the report quotes none. Anyone can mail a report, so
   * this is what ties it to a message Paperboy really sent.
   */
  readonly originalMessageId: string | undefined
}

const ORIGINAL_MESSAGE_TYPES = ['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers']

/**
 * The bounces or complaint in a report received by mail: an RFC 3464 delivery status
 * notification (multipart/report; report-type=delivery-status) or an RFC 5965 abuse report
 * (report-type=feedback-report), at the top or inside a forwarded message.
 *
 * A recipient whose Action is `failed` with a 5.x.x Status is a hard bounce; `failed` with
 * 4.x.x (given up after retrying) and `delayed` are soft; `delivered`, `relayed` and
 * `expanded` are no bounce at all. Every feedback type but `not-spam` is a complaint, about
 * Original-Rcpt-To, else Removal-Recipient, else the To of the message reported.
 */
export function deliveryReportFeedback(raw: string): MailboxReport {
  const parts = allParts(readMimePart(raw))
  const report = parts.find((part) => part.contentType === 'multipart/report')
  if (!report) {
    throw new UnreadableReportError(
      'not a delivery report: expected Content-Type multipart/report (RFC 3464 delivery-status or RFC 5965 feedback-report)',
    )
  }
  const reportType = report.params.get('report-type')?.toLowerCase()
  const inner = allParts(report)
  const original = inner.find((p) => ORIGINAL_MESSAGE_TYPES.includes(p.contentType))
  const originalHeaders = original ? readMimePart(original.body).headers : undefined
  const originalMessageId = messageIdIn(originalHeaders?.get('message-id'))
  if (reportType === 'delivery-status') {
    const status = inner.find((p) =>
      ['message/delivery-status', 'message/global-delivery-status'].includes(p.contentType),
    )
    if (!status)
      throw new UnreadableReportError(
        'delivery-status report without a message/delivery-status part',
      )
    return { events: dsnEvents(status.body), originalMessageId }
  }
  if (reportType === 'feedback-report') {
    const feedback = inner.find((p) => p.contentType === 'message/feedback-report')
    if (!feedback)
      throw new UnreadableReportError('feedback-report without a message/feedback-report part')
    return { events: arfEvents(feedback.body, originalHeaders?.get('to')), originalMessageId }
  }
  throw new UnreadableReportError(
    `report-type ${JSON.stringify(reportType ?? '')} is neither delivery-status nor feedback-report`,
  )
}

/** `<id@host>` out of a Message-ID header; undefined unless it has that shape. */
function messageIdIn(header: string | undefined): string | undefined {
  return header?.match(/<[^<>\s]+@[^<>\s]+>/)?.[0]
}

function dsnEvents(body: string): FeedbackEvent[] {
  // The first block is about the message; each later one about a recipient.
  const recipients = readFieldBlocks(body).filter((fields) => fields.has('action'))
  if (recipients.length === 0)
    throw new UnreadableReportError('message/delivery-status names no recipient (no Action field)')
  return recipients.flatMap((fields, i): FeedbackEvent[] => {
    const action = fields.get('action')?.[0]?.toLowerCase() ?? ''
    if (action !== 'failed' && action !== 'delayed') return []
    const email =
      addressIn(fields.get('final-recipient')?.[0]) ??
      addressIn(fields.get('original-recipient')?.[0])
    if (!email) throw new UnreadableReportError(`recipient ${i + 1}: no rfc822 Final-Recipient`)
    const status = fields.get('status')?.[0] ?? ''
    const permanent = action === 'failed' && status.trim().startsWith('5')
    return [
      {
        provider: 'dsn',
        kind: permanent ? 'hard_bounce' : 'soft_bounce',
        email,
        detail: shortDetail(`${action} ${status} ${fields.get('diagnostic-code')?.[0] ?? ''}`),
      },
    ]
  })
}

function arfEvents(body: string, originalTo: string | undefined): FeedbackEvent[] {
  const fields = new Map<string, string[]>()
  for (const block of readFieldBlocks(body))
    for (const [k, v] of block) fields.set(k, [...(fields.get(k) ?? []), ...v])
  const type = fields.get('feedback-type')?.[0]?.toLowerCase()
  if (!type) throw new UnreadableReportError('message/feedback-report without a Feedback-Type')
  if (type === 'not-spam') return []
  const email =
    addressIn(fields.get('original-rcpt-to')?.[0]) ??
    addressIn(fields.get('removal-recipient')?.[0]) ??
    addressIn(originalTo?.match(/<([^>]+)>/)?.[1] ?? originalTo)
  if (!email) {
    throw new UnreadableReportError(
      'feedback-report names no recipient (no Original-Rcpt-To, no Removal-Recipient, no To in the reported message)',
    )
  }
  return [
    { provider: 'arf', kind: 'complaint', email, detail: shortDetail(`feedback-type ${type}`) },
  ]
}
