import { httpUrlOrNull } from '../domain/digest.js'
import { cleanText } from './clean-data.js'
import { createTemplateCompiler } from './compile-template.js'
import {
  type DigestEmailData,
  digestView,
  MAX_DIGEST_HTML_BYTES,
  papersShown,
  withoutWorstPaper,
} from './digest-email-view.js'

export type { DigestEmailData } from './digest-email-view.js'
export { MAX_DIGEST_HTML_BYTES } from './digest-email-view.js'

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

export interface ConfirmEmailData {
  confirmUrl: string
  preferencesUrl?: string
  topics: { name: string }[]
  /**
   * Only how many: anyone can ask for a confirmation to any address, so the email must not
   * carry text a stranger wrote. The interests themselves show in the preference centre.
   */
  interestCount: number
  /** Already worded for people, e.g. "daily at 08:00 (Europe/Paris)". */
  frequencyLabel: string
}

export interface AlreadySubscribedData {
  preferencesUrl: string
  unsubscribeUrl: string
}

export interface MailRenderer {
  /**
   * Compiles every email template now, so that a template broken by an edit stops start-up,
   * saying where, instead of failing the first email that needs it.
   */
  compileAll(): Promise<void>
  confirm(d: ConfirmEmailData): Promise<RenderedEmail>
  alreadySubscribed(d: AlreadySubscribedData): Promise<RenderedEmail>
  digest(d: DigestEmailData): Promise<RenderedEmail>
}

const EMAIL_TEMPLATES = ['confirm', 'already-subscribed', 'digest'] as const

/** Where the shipped templates live, for callers that have no reason to use others. */
export const defaultTemplatesDir = new URL('../../templates/', import.meta.url)

/** Renders the transactional emails (double opt-in and its "already subscribed" twin) and digests. */
export function createMailRenderer(opts: {
  templatesDir?: string | URL
  productName?: string
  /** Whether digest cards show papers' thumbnails; on unless turned off (DIGEST_THUMBNAILS). */
  thumbnails?: boolean
}): MailRenderer {
  const compileTemplate = createTemplateCompiler(opts.templatesDir ?? defaultTemplatesDir)
  const productName = opts.productName ?? 'Paperboy'

  return {
    async compileAll() {
      await Promise.all(EMAIL_TEMPLATES.map((name) => compileTemplate(name)))
    },

    async confirm(d) {
      const subject = `Confirm your ${productName} subscription`
      const template = await compileTemplate('confirm')
      return {
        subject,
        ...template({
          subject,
          productName,
          confirmUrl: webUrl(d.confirmUrl),
          preferencesUrl: d.preferencesUrl === undefined ? null : webUrl(d.preferencesUrl),
          topics: d.topics.map((t) => ({ name: t.name })),
          interestsLabel: countLabel(d.interestCount, 'interest'),
          frequencyLabel: d.frequencyLabel,
        }),
      }
    },

    async alreadySubscribed(d) {
      const subject = `You already get ${productName} digests`
      const template = await compileTemplate('already-subscribed')
      return {
        subject,
        ...template({
          subject,
          productName,
          preferencesUrl: webUrl(d.preferencesUrl),
          unsubscribeUrl: webUrl(d.unsubscribeUrl),
        }),
      }
    },

    async digest(d) {
      const template = await compileTemplate('digest')
      // A paper's link comes from a source: a bad one loses its link, not the email.
      const links = {
        productName,
        web: webUrl,
        paper: httpUrlOrNull,
        thumbnails: opts.thumbnails ?? true,
      }
      // The subject goes into a header as is: it gets the same cleaning as template data.
      const subject = cleanText(d.digest.subject)
      let digest = d.digest
      for (;;) {
        const filled = template(digestView(d, digest, links))
        // Papers are clipped when composed, so this only triggers on freak data (every title full
        // of characters that escape to eight bytes, say); the footer must never be clipped away.
        // The HTML is ASCII (see htmlText), so its length is its size in bytes.
        if (filled.html.length <= MAX_DIGEST_HTML_BYTES || papersShown(digest) === 0) {
          return { subject, ...filled }
        }
        digest = withoutWorstPaper(digest)
      }
    },
  }
}

/** "1 interest", "3 interests"; null for none, so the template can leave the line out. */
function countLabel(count: number, noun: string): string | null {
  if (count <= 0) return null
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

// Escaping keeps a link inside its attribute but says nothing of its scheme: a `javascript:`
// link would still be clickable. Links are built by Paperboy itself, so anything else is a bug
// worth failing loudly on.
function webUrl(url: string): string {
  if (httpUrlOrNull(url) === null) {
    throw new Error(`email links must be http(s) URLs, got ${JSON.stringify(url.slice(0, 40))}`)
  }
  return url
}
