import type { Database } from '../db/client.js'
import {
  findSubscriber,
  findSubscriberIdByEmail,
  type Subscriber,
} from '../db/repositories/subscribers.js'
import { normalizeEmailAddress } from '../domain/email-address.js'

/** Thrown for a request that names nobody who can get a digest. */
export class NoSuchSubscriberError extends Error {
  override name = 'NoSuchSubscriberError'
}

/**
 * The subscriber an operator named by address (`--email`); unless `allowInactive`, only an
 * active one, since nobody else gets digests.
 */
export async function subscriberByAddress(
  db: Database,
  email: string,
  options: { allowInactive?: boolean } = {},
): Promise<Subscriber> {
  const address = normalizeEmailAddress(email)
  if (!address.ok) throw new NoSuchSubscriberError(`--email ${address.reason}`)
  const id = await findSubscriberIdByEmail(db, address.address)
  const subscriber = id === undefined ? undefined : await findSubscriber(db, id)
  if (!subscriber)
    throw new NoSuchSubscriberError(`no subscriber with the address ${address.address}`)
  if (!options.allowInactive && subscriber.status !== 'active') {
    throw new NoSuchSubscriberError(
      `${address.address} is ${subscriber.status}, not active: it gets no digests`,
    )
  }
  return subscriber
}
