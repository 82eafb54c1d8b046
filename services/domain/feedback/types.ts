/** Where a bounce or complaint was reported from. */
export const FEEDBACK_PROVIDERS = ['ses', 'postmark', 'mailgun', 'sendgrid', 'dsn', 'arf'] as const
export type FeedbackProvider = (typeof FEEDBACK_PROVIDERS)[number]

/**
 * What a report says about one address. A hard bounce (the mailbox does not exist, the domain
 * refuses for good) and a complaint (the recipient pressed "report spam") stop all mail to the
 * address; a soft bounce (mailbox full, greylisting, a passing outage) is only counted.
 */
export const FEEDBACK_KINDS = ['hard_bounce', 'soft_bounce', 'complaint'] as const
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number]

export interface FeedbackEvent {
  readonly provider: FeedbackProvider
  readonly kind: FeedbackKind
  /** As the report gives it; normalised before it is looked up. */
  readonly email: string
  /** The provider's words (a diagnostic code, a complaint type), cut to a few hundred characters. */
  readonly detail: string
}

/** A report that cannot be read: the message says what and where, for a 400 or a CLI line. */
export class UnreadableReportError extends Error {
  override name = 'UnreadableReportError'
}

export const shortDetail = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300)
