import { type DigestRow, findDigest } from '../db/repositories/digest-content.js'
import { composeDigestPage, type DigestPage } from '../domain/digest.js'
import { type DigestContentDeps, sentDigestInput } from './digest-content.js'

export type DigestPageOutcome =
  | { readonly kind: 'page'; readonly digest: DigestRow; readonly page: DigestPage }
  /** No such digest, not this subscriber's, or one that was never sent: all look alike. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'past-the-end'; readonly pageCount: number }

/**
 * One page of a sent digest in the browser, every paper (the email shows the best 25), for
 * the subscriber the link was signed for.
 */
export async function viewDigest(
  deps: Pick<DigestContentDeps, 'db' | 'topicNames'>,
  subscriberId: number,
  digestId: number,
  pageNumber: number,
): Promise<DigestPageOutcome> {
  const digest = Number.isSafeInteger(digestId) ? await findDigest(deps.db, digestId) : undefined
  // Someone else's digest looks exactly like a missing one.
  if (!digest || digest.subscriberId !== subscriberId || digest.status === 'empty') {
    return { kind: 'not-found' }
  }
  const page = composeDigestPage(await sentDigestInput(deps, digest.id, subscriberId), pageNumber)
  if (pageNumber > page.pageCount) return { kind: 'past-the-end', pageCount: page.pageCount }
  return { kind: 'page', digest, page }
}
