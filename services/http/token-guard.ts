import type { Database } from '../db/client.js'
import { findSubscriber, type Subscriber } from '../db/repositories/subscribers.js'
import { type TokenPurpose, verifyToken } from '../domain/tokens.js'

export type Guarded =
  | { ok: true; subscriber: Subscriber }
  | {
      ok: false
      reason: 'invalid' | 'expired' | 'deleted'
      status: 400 | 410
      title: string
      message: string
    }
  | {
      ok: false
      reason: 'revoked'
      /** Whom the link was for, as they are now: a route may answer an idempotent repeat. */
      subscriber: Subscriber
      status: 410
      title: string
      message: string
    }

/** Unsubscribing, resubscribing and "sign out all links" bump the version a link must carry. */
export const REVOKED_LINK = {
  title: 'This link is no longer valid',
  message:
    'Links in emails sent before you unsubscribed, resubscribed or signed out all links no longer work. ' +
    "To get a fresh link, enter your address on the home page and we'll email you one.",
}

/**
 * Turns the `token` of a signed link into its subscriber, or into the page a person should
 * see instead. A link that was never valid is a 400; one that was valid once (expired,
 * revoked, or its subscriber deleted) is a 410 Gone.
 */
export async function subscriberFromToken(
  db: Database,
  secret: string,
  token: unknown,
  purpose: TokenPurpose,
  now: Date,
): Promise<Guarded> {
  const checked = verifyToken(secret, token, purpose, now)
  if (!checked.ok) {
    if (checked.reason === 'expired') {
      return {
        ok: false,
        reason: 'expired',
        status: 410,
        title: 'This link has expired',
        message:
          purpose === 'confirm'
            ? 'Confirmation links are valid for 7 days. Subscribe again and we will send you a fresh one.'
            : 'Please use the link in a more recent email.',
      }
    }
    return {
      ok: false,
      reason: 'invalid',
      status: 400,
      title: 'This link is not valid',
      message: 'It may have been cut off or changed. Please copy the whole link from the email.',
    }
  }
  const subscriber = await findSubscriber(db, checked.claims.subscriberId)
  if (!subscriber) {
    return {
      ok: false,
      reason: 'deleted',
      status: 410,
      title: 'This subscription no longer exists',
      message: 'Its data has been deleted. You can subscribe again from the home page.',
    }
  }
  if (subscriber.tokenVersion !== checked.claims.version) {
    return { ok: false, reason: 'revoked', subscriber, status: 410, ...REVOKED_LINK }
  }
  return { ok: true, subscriber }
}
