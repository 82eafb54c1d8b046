import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { MAX_INTERESTS } from '../../domain/preferences.js'
import type { SubscriberStatus } from '../../domain/subscription-lifecycle.js'
import type { TriageAction } from '../../domain/triage.js'
import { cleanData } from '../../mail/clean-data.js'
import { pagesDir, scriptAsset, stylesheetAsset } from './assets.js'
import { type DigestPageData, digestPageView } from './digest-page-view.js'
import {
  type FieldErrors,
  formView,
  type SubscriptionValues,
  type TopicOption,
} from './form-view.js'

export {
  defaultTemplatesDir,
  pageScript,
  pageStylesheet,
  scriptAsset,
  stylesheetAsset,
} from './assets.js'
export type { DigestPageData, DigestPagination } from './digest-page-view.js'
export type { FieldErrors, SubscriptionValues, TopicOption } from './form-view.js'

export interface PreferencesPageData {
  topics: TopicOption[]
  /** Topics the subscriber follows that an operator has retired since: named, not offered. */
  retiredTopics: { name: string }[]
  values: SubscriptionValues
  errors: FieldErrors
  status: SubscriberStatus
  saved: boolean
  /** Includes `?token=`. */
  formAction: string
  deleteAction: string
  unsubscribeAction: string
  resubscribeAction: string
  signOutAction: string
  /** The subscriber's feed in each format; the page links them and names them in its head. */
  feed: FeedLinks
  /** Muted terms as NOT clauses: the textarea's text, and the clauses in force. */
  muted: { text: string; clauses: string[] }
}

/** The confirmation page a triage link opens: one paper, one choice, one button. */
export interface TriagePageData {
  action: TriageAction
  paperTitle: string
  /** Includes `?p=…&token=`. */
  formAction: string
  /** "Mute this author": each author's name and the term that mutes them. */
  authors: { name: string; term: string }[]
  /** "Mute this word": the matched words and the paper's keywords. */
  words: string[]
  /** "More like this": the proposed (or re-shown) interest line. */
  interest: string
  /** "Mute this word": what was typed in the free field, re-shown after an error. */
  custom: string
  interestCount: number
  error: string | null
  preferencesUrl: string
}

/** After a triage button: what changed (or that nothing had to), and where to see it all. */
export interface TriagedPageData {
  /** True for "more like this" (an interest added), false for a mute. */
  added: boolean
  changed: boolean
  term: string
  preferencesUrl: string
}

/** Absolute addresses of one subscriber's feed, one per format. */
export interface FeedLinks {
  atom: string
  rss: string
  json: string
}

/** One typed function per page, so routes get type checking on what each page needs. */
export interface PageRenderer {
  subscribe(d: { topics: TopicOption[]; values: SubscriptionValues; errors: FieldErrors }): string
  checkInbox(d: { email: string }): string
  /** The one-button page a confirmation link opens; `action` includes `?token=`. */
  confirm(d: { email: string; action: string }): string
  confirmed(d: { preferencesUrl: string }): string
  preferences(d: PreferencesPageData): string
  unsubscribe(d: { email: string; action: string }): string
  /** `links` only for the request that unsubscribed, not for a repeat with a revoked link. */
  unsubscribed(d: {
    links: { preferencesUrl: string; resubscribeAction: string } | undefined
  }): string
  /** After "resubscribe": a confirmation email is on its way. */
  resubscribeRequested(d: { email: string }): string
  /** After "sign out all links". */
  signedOut(): string
  deleted(): string
  error(d: { status: number; title: string; message: string }): string
  digest(d: DigestPageData): string
  /** What a feed link without a format opens: the feed's addresses and how to follow them. */
  feed(d: { feed: FeedLinks }): string
  triage(d: TriagePageData): string
  triaged(d: TriagedPageData): string
}

const PAGES = [
  'subscribe',
  'check-inbox',
  'confirm',
  'confirmed',
  'preferences',
  'unsubscribe',
  'unsubscribed',
  'resubscribe-requested',
  'signed-out',
  'deleted',
  'error',
  'digest',
  'feed',
  'triage',
  'triaged',
] as const
type PageName = (typeof PAGES)[number]

interface PageOptions {
  title: string
  /** Only the pages with the subscription form need the time zone script. */
  timezoneScript?: boolean
  /** Token pages are personal: keep them out of search engines. */
  noindex?: boolean
  /** Feeds named in the head, so a browser or feed reader given the page finds them. */
  feed?: FeedLinks
}

const FEED_ALTERNATES = [
  { format: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { format: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { format: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const

function alternates(productName: string, feed: FeedLinks | undefined) {
  return (feed ? FEED_ALTERNATES : []).map((a) => ({
    type: a.type,
    title: `Your ${productName} papers (${a.label})`,
    href: feed?.[a.format] ?? '',
  }))
}

// strict: a misspelt field throws in tests instead of silently rendering nothing.
// preventIndent: Handlebars otherwise indents every line a partial outputs, textarea content
// included, which would add spaces to each interest line a re-shown form sends back.
const COMPILE_OPTIONS = { strict: true, preventIndent: true }

/** Renders every HTML page; templates are read and parsed here, once, at start-up. */
export function createPageRenderer(opts: {
  templatesDir?: string | URL
  productName?: string
  /** Whether digest pages show papers' thumbnails; on unless turned off (DIGEST_THUMBNAILS). */
  thumbnails?: boolean
}): PageRenderer {
  const dir = pagesDir(opts.templatesDir)
  const productName = opts.productName ?? 'Paperboy'
  // Versions in the asset URLs let browsers cache them while a new deploy is picked up at once.
  const styleVersion = stylesheetAsset(opts.templatesDir).version
  const scriptVersion = scriptAsset(opts.templatesDir).version

  // Own environment so partials registered by other code cannot collide with ours.
  const hbs = Handlebars.create()
  const compile = (file: string) => {
    // Parsing now surfaces template syntax errors at start-up rather than on the first request.
    const ast = hbs.parse(readFileSync(file, 'utf8'))
    return hbs.compile(ast, COMPILE_OPTIONS)
  }
  hbs.registerPartial('layout', compile(path.join(dir, 'layout.hbs')))
  const partialsDir = path.join(dir, 'partials')
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(path.basename(file, '.hbs'), compile(path.join(partialsDir, file)))
  }
  const templates = new Map(PAGES.map((name) => [name, compile(path.join(dir, `${name}.hbs`))]))

  function render(name: PageName, page: PageOptions, data: object): string {
    const template = templates.get(name)
    if (!template) throw new Error(`unknown page ${name}`)
    return template({
      ...data,
      productName,
      page: {
        title: page.title,
        timezoneScript: page.timezoneScript ?? false,
        noindex: page.noindex ?? false,
        alternates: alternates(productName, page.feed),
        styleVersion,
        scriptVersion,
      },
    })
  }

  return {
    subscribe: (d) =>
      render(
        'subscribe',
        { title: `${titlePrefix(d.errors)}Subscribe`, timezoneScript: true },
        { form: formView(d.topics, d.values, d.errors) },
      ),
    checkInbox: (d) => render('check-inbox', { title: 'Check your inbox' }, d),
    confirm: (d) => render('confirm', { title: 'Confirm your subscription', noindex: true }, d),
    confirmed: (d) => render('confirmed', { title: 'Subscription confirmed', noindex: true }, d),
    preferences: (d) =>
      render(
        'preferences',
        {
          title: `${titlePrefix(d.errors)}Your preferences`,
          timezoneScript: true,
          noindex: true,
          feed: d.feed,
        },
        {
          form: formView(d.topics, d.values, d.errors),
          retiredTopics: d.retiredTopics,
          status: statusFlags(d.status),
          saved: d.saved,
          formAction: d.formAction,
          deleteAction: d.deleteAction,
          unsubscribeAction: d.unsubscribeAction,
          resubscribeAction: d.resubscribeAction,
          signOutAction: d.signOutAction,
          feed: d.feed,
          muted: d.muted,
        },
      ),
    unsubscribe: (d) => render('unsubscribe', { title: 'Unsubscribe', noindex: true }, d),
    unsubscribed: (d) =>
      render('unsubscribed', { title: 'Unsubscribed', noindex: true }, { links: d.links ?? null }),
    resubscribeRequested: (d) =>
      render('resubscribe-requested', { title: 'Check your inbox', noindex: true }, d),
    signedOut: () => render('signed-out', { title: 'All links signed out', noindex: true }, {}),
    deleted: () => render('deleted', { title: 'Your data is deleted', noindex: true }, {}),
    error: (d) => render('error', { title: d.title, noindex: true }, d),
    digest: (d) =>
      render(
        'digest',
        { title: 'Your digest', noindex: true },
        digestPageView(d, { thumbnails: opts.thumbnails ?? true }),
      ),
    feed: (d) => render('feed', { title: 'Your feed', noindex: true, feed: d.feed }, d),
    triage: (d) => render('triage', { title: triageTitle(d), noindex: true }, triageView(d)),
    triaged: (d) =>
      render(
        'triaged',
        { title: d.added ? 'Interest added' : 'Muted', noindex: true },
        cleanData({ ...d, muted: !d.added }) as object,
      ),
  }
}

const TRIAGE_TITLES: Record<TriageAction, string> = {
  more: 'More like this',
  author: 'Mute an author',
  word: 'Mute a word',
}

function triageTitle(d: TriagePageData): string {
  return `${d.error ? 'Error: ' : ''}${TRIAGE_TITLES[d.action]}`
}

/** Authors and titles come from outside: cleaned of bidi and control characters, then escaped. */
function triageView(d: TriagePageData): object {
  return cleanData({
    ...d,
    heading: TRIAGE_TITLES[d.action],
    more: d.action === 'more',
    author: d.action === 'author',
    word: d.action === 'word',
    authors: d.authors.map((a, i) => ({ ...a, id: `choice-${i + 1}` })),
    words: d.words.map((term, i) => ({ term, id: `choice-${i + 1}` })),
    interestLimit: MAX_INTERESTS,
    atLimit: d.interestCount >= MAX_INTERESTS,
  }) as object
}

// Every flag present, because strict templates throw on a missing key.
function statusFlags(status: SubscriberStatus): Record<SubscriberStatus, boolean> {
  return {
    pending: status === 'pending',
    active: status === 'active',
    unsubscribed: status === 'unsubscribed',
    bounced: status === 'bounced',
  }
}

// Screen reader users hear the title first; saying "Error" there tells them the form came back.
function titlePrefix(errors: FieldErrors): string {
  return Object.keys(errors).length > 0 ? 'Error: ' : ''
}
