import { subscriberIdsByEmail, subscribersSentMessage } from '../db/repositories/feedback.js'
import { normalizeEmailAddress } from '../domain/email-address.js'
import type { MailboxReport } from '../domain/feedback/delivery-report.js'
import { type FeedbackDeps, type FeedbackReport, recordFeedback } from './record-feedback.js'

export interface MailboxFeedbackReport extends FeedbackReport {
  /** Why each report not acted on was ignored: `no Message-ID Paperboy sent to x@y`. */
  readonly ignored: readonly string[]
}

/**
 * Records a report received by mail only where it is about a message Paperboy sent to that
 * address. The bounce mailbox takes mail from anyone, and a forged report naming an address
 * must not unsubscribe it, bounce it or count toward the complaint rate: only a report that
 * quotes the Message-ID of a digest sent to that very subscriber is believed. The rest are
 * ignored, each with the reason, and leave nothing behind.
 */
export async function recordMailboxReport(
  deps: FeedbackDeps,
  report: MailboxReport,
): Promise<MailboxFeedbackReport> {
  const addressed = report.events.map((event) => {
    const checked = normalizeEmailAddress(event.email)
    return { event, email: checked.ok ? checked.address : event.email.trim() }
  })
  const ids = await subscriberIdsByEmail(
    deps.db,
    addressed.map((a) => a.email),
  )
  const sentTo =
    report.originalMessageId === undefined
      ? new Set<number>()
      : await subscribersSentMessage(deps.db, [...ids.values()], report.originalMessageId)
  const isTrusted = ({ email }: { email: string }) => {
    const id = ids.get(email.toLowerCase())
    return id !== undefined && sentTo.has(id)
  }
  const trusted = addressed.filter(isTrusted).map((a) => a.event)
  const ignored = addressed
    .filter((a) => !isTrusted(a))
    // The address is the report's text, shown on a terminal: no control characters get through.
    .map((a) => `no Message-ID Paperboy sent to ${a.email.replace(/\p{Cc}/gu, '?')}`)
  if (ignored.length > 0) {
    deps.logger.warn(
      { ignored: ignored.length, messageId: report.originalMessageId ?? null },
      'delivery report ignored: it quotes no Message-ID Paperboy sent to the address it names',
    )
  }
  return { ...(await recordFeedback(deps, trusted)), ignored }
}
