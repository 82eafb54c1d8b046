import type { Links } from '../links.js'
import type { MailRenderer, RenderedEmail } from '../mail/mail-renderer.js'
import { type DigestContentDeps, nextDigest, renderDigestEmail } from './digest-content.js'
import { subscriberByAddress } from './subscriber-by-address.js'

/** A subscriber's next digest: how many papers, and the email unless there are none. */
export interface DigestPreview {
  readonly total: number
  readonly rendered?: RenderedEmail
}

export interface PreviewDeps extends DigestContentDeps {
  readonly renderer: MailRenderer
  readonly links: Links
}

/**
 * `preview`: the email one subscriber's next digest would be, were it sent now; nothing is
 * claimed or sent.
 */
export async function previewDigest(deps: PreviewDeps, email: string): Promise<DigestPreview> {
  const subscriber = await subscriberByAddress(deps.db, email, { allowInactive: true })
  const digest = await nextDigest(deps, subscriber.id)
  // Nothing would be sent, so there is nothing to show.
  if (digest.total === 0) return { total: 0 }
  // Nothing is sent yet, so there is no web view; the preferences page stands in for it.
  const webViewUrl = deps.links.preferences(subscriber)
  return {
    total: digest.total,
    rendered: await renderDigestEmail(deps, subscriber, digest, webViewUrl),
  }
}
