/** The states an address moves through; `bounced` is set by the mailer, never by the address owner. */
export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number]

/** Which transactional email a subscribe request should trigger, if any. */
export type SubscribeMail = 'confirm' | 'already-subscribed'

export interface SubscribeDecision {
  readonly nextStatus: SubscriberStatus
  /** Only an address that is not (or no longer) receiving digests takes the submitted preferences. */
  readonly replacePreferences: boolean
  readonly mail: SubscribeMail | null
}

/** At most one confirmation (or reminder) email per address in this window, however often the form is posted. */
export const CONFIRMATION_COOLDOWN_MS = 10 * 60 * 1000

/**
 * Decides what a subscribe request does to an existing address. The HTTP answer is the
 * same in every case, so nobody learns who is subscribed; the difference is only in the
 * email the address itself receives.
 */
export function decideSubscribe(current: SubscriberStatus | undefined): SubscribeDecision {
  switch (current) {
    case undefined:
    case 'pending':
    case 'unsubscribed':
      return { nextStatus: 'pending', replacePreferences: true, mail: 'confirm' }
    case 'active':
      // A stranger must not be able to rewrite someone's interests; the owner gets their link instead.
      return { nextStatus: 'active', replacePreferences: false, mail: 'already-subscribed' }
    case 'bounced':
      // Mailing an address that hard-bounced hurts deliverability for everyone; stay silent.
      return { nextStatus: 'bounced', replacePreferences: false, mail: null }
  }
}
