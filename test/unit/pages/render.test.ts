import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  createPageRenderer,
  type PreferencesPageData,
  pageScript,
  pageStylesheet,
  type SubscriptionValues,
  type TopicOption,
} from '../../../services/http/pages/page-renderer.js'

const pages = createPageRenderer({})

const topics: TopicOption[] = [
  { slug: 'trending', name: 'Trending', description: "The day's top papers by upvotes." },
  { slug: 'ai-safety', name: 'AI safety', description: 'Alignment and guardrails.' },
]

const values: SubscriptionValues = {
  email: 'ada@example.org',
  topics: ['ai-safety'],
  interests: 'diffusion\n"large language models" AND -survey',
  frequency: 'weekly',
  weekday: 'fri',
  hour: 7,
  timezone: 'Europe/Paris',
}

const blank: SubscriptionValues = {
  email: '',
  topics: [],
  interests: '',
  frequency: 'daily',
  weekday: 'mon',
  hour: 8,
  timezone: 'UTC',
}

const prefs: PreferencesPageData = {
  topics,
  retiredTopics: [],
  values,
  errors: {},
  status: 'active',
  saved: false,
  formAction: '/preferences?token=tok&x=1',
  deleteAction: '/preferences/delete?token=tok',
  unsubscribeAction: '/unsubscribe?token=unsub',
  resubscribeAction: '/preferences/resubscribe?token=tok',
  signOutAction: '/preferences/sign-out?token=tok',
  muted: { text: '', clauses: [] },
  feed: {
    atom: 'https://paperboy.test/feeds/tok.sig.atom',
    rss: 'https://paperboy.test/feeds/tok.sig.rss',
    json: 'https://paperboy.test/feeds/tok.sig.json',
  },
}

/** The start tag of the element carrying `name`, e.g. `<select id="hour" name="hour" …>`. */
function tagWithName(html: string, tag: string, name: string): string {
  const found = [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))]
    .map((m) => m[0])
    .filter((t) => t.includes(` name="${name}"`))
  if (found.length !== 1) throw new Error(`expected one <${tag} name=${name}>, got ${found.length}`)
  return found[0] ?? ''
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
}

function selectOptions(html: string, name: string) {
  const start = html.indexOf(tagWithName(html, 'select', name))
  const body = html.slice(start, html.indexOf('</select>', start))
  return [...body.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => ({
    value: m[1],
    selected: m[2] !== undefined,
    label: m[3],
  }))
}

function textareaContent(html: string): string {
  const match = /<textarea\b[^>]*name="interests"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(html)
  if (!match) throw new Error('no interests textarea')
  return match[1] ?? ''
}

const decodeEntities = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&#x3D;', '=')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/** Checks that hold on every page: language, one h1, CSP-friendly, every control labelled. */
function expectSoundPage(html: string) {
  expect(html.startsWith('<!doctype html>')).toBe(true)
  expect(html).toContain('<html lang="en">')
  expect(html.match(/<h1\b/g)).toHaveLength(1)
  expect(html).toMatch(/<link rel="stylesheet" href="\/static\/style\.css\?v=[0-9a-f]+">/)
  // No inline script, style element or style attribute: the CSP allows neither.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  expect(html).not.toMatch(/<style\b|\sstyle="/)
  expect(html).not.toMatch(/\son[a-z]+="/)
  const controls = [...html.matchAll(/<(input|select|textarea)\b[^>]*>/g)].map((m) => m[0])
  for (const control of controls) {
    if (attr(control, 'type') === 'hidden') continue
    const id = attr(control, 'id')
    expect(id, control).toBeDefined()
    expect(html, `label for ${id}`).toContain(`<label for="${id}">`)
  }
  // Every aria-describedby target exists.
  for (const m of html.matchAll(/aria-describedby="([^"]*)"/g)) {
    for (const id of (m[1] ?? '').split(' ')) expect(html, id).toContain(`id="${id}"`)
  }
}

describe('subscribe page', () => {
  it('has the contract fields, posting to /subscribe', () => {
    const html = pages.subscribe({ topics, values: blank, errors: {} })
    expectSoundPage(html)
    expect(html).toMatch(/<form method="post" action="\/subscribe"/)
    expect(attr(tagWithName(html, 'input', 'email'), 'type')).toBe('email')
    const checkboxes = [...html.matchAll(/<input type="checkbox"[^>]*name="topics"[^>]*>/g)]
    expect(checkboxes.map((m) => attr(m[0], 'value'))).toEqual(['trending', 'ai-safety'])
    tagWithName(html, 'textarea', 'interests')
    expect(selectOptions(html, 'frequency').map((o) => o.value)).toEqual([
      'daily',
      'weekly',
      'announcements',
    ])
    expect(selectOptions(html, 'weekday').map((o) => o.value)).toEqual([
      'mon',
      'tue',
      'wed',
      'thu',
      'fri',
      'sat',
      'sun',
    ])
    const hours = selectOptions(html, 'hour')
    expect(hours.map((o) => o.value)).toEqual(Array.from({ length: 24 }, (_, h) => String(h)))
    expect(hours[0]?.label).toBe('00:00')
    expect(hours[23]?.label).toBe('23:00')
    expect(attr(tagWithName(html, 'input', 'timezone'), 'value')).toBe('UTC')
    expect(html).toContain('<label for="weekday">Day (weekly only)</label>')
  })

  it('shows each topic with its description and the query syntax help', () => {
    const html = pages.subscribe({ topics, values: blank, errors: {} })
    expect(html).toContain('<label for="topic-ai-safety">AI safety</label>')
    expect(html).toContain('id="topic-ai-safety-description">Alignment and guardrails.</p>')
    expect(html).toMatch(/<fieldset[^>]*>\s*<legend>Topics<\/legend>/)
    const help = /<p class="help" id="interests-help">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ''
    expect(help).toContain('One per line, up to 25 lines of 200 characters')
    for (const token of [
      'unlearn*',
      'AND',
      'OR',
      'NOT',
      '-word',
      'title:',
      'abstract:',
      'author:',
      'category:',
    ]) {
      expect(help).toContain(`<code>${token}</code>`)
    }
    expect(help).toContain('<code>"exact phrase"</code>')
  })

  it('re-fills every value after a bad POST', () => {
    const interests = '\nfirst line after a blank\n  indented\n(unbalanced'
    const html = pages.subscribe({ topics, values: { ...values, interests }, errors: {} })
    expect(attr(tagWithName(html, 'input', 'email'), 'value')).toBe('ada@example.org')
    expect(html).toMatch(
      /<input type="checkbox" id="topic-ai-safety" name="topics" value="ai-safety" checked/,
    )
    expect(html).toMatch(
      /<input type="checkbox" id="topic-trending" name="topics" value="trending" aria/,
    )
    // Exactly as typed: no indentation added by partials, the leading newline kept.
    expect(textareaContent(html)).toBe(interests)
    expect(selectOptions(html, 'frequency').find((o) => o.selected)?.value).toBe('weekly')
    expect(selectOptions(html, 'weekday').find((o) => o.selected)?.value).toBe('fri')
    expect(selectOptions(html, 'hour').filter((o) => o.selected)).toEqual([
      { value: '7', selected: true, label: '07:00' },
    ])
    expect(attr(tagWithName(html, 'input', 'timezone'), 'value')).toBe('Europe/Paris')
  })

  it('links each error to its field with aria-describedby and sums them up in an alert', () => {
    const html = pages.subscribe({
      topics,
      values,
      errors: {
        email: 'enter a valid email address',
        interests:
          'line 2: unbalanced parenthesis at 14\nline 3: NOT needs something to exclude from',
        hour: 'must be 0 to 23',
        _form: 'Please try again in a minute.',
      },
    })
    expectSoundPage(html)
    expect(html).toMatch(/<title>Error: /)

    const email = tagWithName(html, 'input', 'email')
    expect(attr(email, 'aria-describedby')).toBe('email-help email-error')
    expect(email).toContain('aria-invalid="true"')
    expect(html).toMatch(/id="email-error">[\s\S]*?enter a valid email address/)

    const interests = tagWithName(html, 'textarea', 'interests')
    expect(attr(interests, 'aria-describedby')).toBe('interests-help interests-error')
    const interestsError = /id="interests-error">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ''
    expect(interestsError).toContain('line 2: unbalanced parenthesis at 14')
    expect(interestsError).toContain('line 3: NOT needs something to exclude from')

    expect(attr(tagWithName(html, 'select', 'hour'), 'aria-describedby')).toBe('hour-error')
    expect(tagWithName(html, 'select', 'frequency')).not.toContain('aria-invalid')

    const summary = /<div class="error-summary" role="alert"[\s\S]*?<\/div>/.exec(html)?.[0] ?? ''
    expect(summary).toContain('<a href="#email">Email address: enter a valid email address</a>')
    expect(summary).toContain(
      '<a href="#interests">Interests: line 2: unbalanced parenthesis at 14</a>',
    )
    expect(summary).toContain('<a href="#hour">Time: must be 0 to 23</a>')
    expect(summary).toContain('<li>Please try again in a minute.</li>')
  })

  it('has no error summary or aria-invalid when there are no errors', () => {
    const html = pages.subscribe({ topics, values, errors: {} })
    expect(html).not.toContain('role="alert"')
    expect(html).not.toContain('aria-invalid')
    expect(html).not.toMatch(/<title>Error/)
  })

  it('escapes hostile values wherever they are shown', () => {
    const html = pages.subscribe({
      topics: [
        {
          slug: 'x"y',
          name: '<script>alert(1)</script>',
          description: '<img src=x onerror=alert(1)>',
        },
      ],
      values: {
        ...values,
        email: '"><script>alert(1)</script>',
        interests: '</textarea><script>alert(2)</script>',
        timezone: '" autofocus onfocus="alert(3)',
        topics: ['x"y'],
      },
      errors: { interests: '<b>line 1</b>' },
    })
    expect(html).not.toMatch(/<script>alert/)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>line 1</b>')
    expect(html.match(/<\/textarea>/g)).toHaveLength(1)
    expect(decodeEntities(attr(tagWithName(html, 'input', 'email'), 'value') ?? '')).toBe(
      '"><script>alert(1)</script>',
    )
    expect(decodeEntities(attr(tagWithName(html, 'input', 'timezone'), 'value') ?? '')).toBe(
      '" autofocus onfocus="alert(3)',
    )
    expect(decodeEntities(textareaContent(html))).toBe('</textarea><script>alert(2)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</label>')
    expectSoundPage(html)
  })

  it('has a honeypot people and assistive technology never meet', () => {
    const html = pages.subscribe({ topics, values: blank, errors: {} })
    const wrapper = /<div class="honeypot" aria-hidden="true">[\s\S]*?<\/div>/.exec(html)?.[0] ?? ''
    const input = tagWithName(wrapper, 'input', 'website')
    expect(attr(input, 'tabindex')).toBe('-1')
    expect(attr(input, 'autocomplete')).toBe('off')
    expect(attr(input, 'value')).toBe('')
    expect(pageStylesheet()).toMatch(/\.honeypot\s*\{[^}]*left:\s*-10000px/)
  })

  it('loads the time zone script from a file, deferred', () => {
    const html = pages.subscribe({ topics, values: blank, errors: {} })
    expect(html).toMatch(/<script src="\/static\/form\.js\?v=[0-9a-f]+" defer><\/script>/)
  })
})

describe('preferences page', () => {
  it('shows the same fields with the email read-only, and a Save button', () => {
    const html = pages.preferences(prefs)
    expectSoundPage(html)
    const email = tagWithName(html, 'input', 'email')
    expect(email).toContain('readonly')
    expect(attr(email, 'value')).toBe('ada@example.org')
    tagWithName(html, 'textarea', 'interests')
    tagWithName(html, 'select', 'frequency')
    tagWithName(html, 'select', 'weekday')
    tagWithName(html, 'select', 'hour')
    tagWithName(html, 'input', 'timezone')
    expect(html).toContain('<form method="post" action="/preferences?token&#x3D;tok&amp;x&#x3D;1"')
    expect(html).toContain('<button type="submit" class="button">Save</button>')
    expect(html).not.toContain('name="website"')
    expect(html).toContain('<meta name="robots" content="noindex">')
  })

  it('has a separate delete form that requires confirm=yes', () => {
    const html = pages.preferences(prefs)
    const form =
      /<form method="post" action="\/preferences\/delete\?token&#x3D;tok"[\s\S]*?<\/form>/.exec(
        html,
      )?.[0] ?? ''
    const checkbox = tagWithName(form, 'input', 'confirm')
    expect(attr(checkbox, 'type')).toBe('checkbox')
    expect(attr(checkbox, 'value')).toBe('yes')
    expect(checkbox).toContain(' required')
    expect(form).toContain('Delete all my data</button>')
  })

  it('shows a delete confirmation error next to the checkbox', () => {
    const html = pages.preferences({ ...prefs, errors: { confirm: 'Tick the box to confirm.' } })
    expectSoundPage(html)
    expect(attr(tagWithName(html, 'input', 'confirm'), 'aria-describedby')).toBe(
      'delete-confirm-error',
    )
    expect(html).toContain(
      '<a href="#delete-confirm">Delete all my data: Tick the box to confirm.</a>',
    )
  })

  it('offers unsubscribe when active and resubscribe when unsubscribed', () => {
    const active = pages.preferences(prefs)
    expect(active).toContain('action="/unsubscribe?token&#x3D;unsub"')
    expect(active).not.toContain('/preferences/resubscribe')

    const unsubscribed = pages.preferences({ ...prefs, status: 'unsubscribed' })
    expect(unsubscribed).toContain('action="/preferences/resubscribe?token&#x3D;tok"')
    expect(unsubscribed).toContain('Resubscribe</button>')
    expect(unsubscribed).not.toContain('/unsubscribe?token')

    expect(pages.preferences({ ...prefs, status: 'pending' })).toContain('Not confirmed yet')
    expect(pages.preferences({ ...prefs, status: 'bounced' })).toContain('could not be delivered')
  })

  it('names a followed topic that was retired, escaped, and only then', () => {
    expect(pages.preferences(prefs)).not.toContain('No longer offered')
    const html = pages.preferences({ ...prefs, retiredTopics: [{ name: 'Old <b>robots</b>' }] })
    expect(html).toContain('<strong>No longer offered:</strong> Old &lt;b&gt;robots&lt;/b&gt;.')
  })

  it('offers to sign out all links, whatever the status', () => {
    for (const status of ['pending', 'active', 'unsubscribed', 'bounced'] as const) {
      const html = pages.preferences({ ...prefs, status })
      expect(html).toContain('<form method="post" action="/preferences/sign-out?token&#x3D;tok">')
      expect(html).toContain('Sign out all links</button>')
    }
  })

  it('links the feed in all three formats, in the page and in its head for readers to find', () => {
    const html = pages.preferences(prefs)
    expect(html).toContain('Follow in your feed reader')
    const alternates = [
      ...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">/g),
    ]
    expect(alternates.map((m) => [m[1], m[2]])).toEqual([
      ['application/atom+xml', prefs.feed.atom],
      ['application/rss+xml', prefs.feed.rss],
      ['application/feed+json', prefs.feed.json],
    ])
    for (const url of Object.values(prefs.feed)) expect(html).toContain(`<a href="${url}">`)
    expect(pages.subscribe({ topics, values, errors: {} })).not.toContain('rel="alternate"')
  })

  it('says when preferences were saved', () => {
    expect(pages.preferences({ ...prefs, saved: true })).toMatch(/role="status">\s*<p>Saved\./)
    expect(pages.preferences(prefs)).not.toContain('role="status"')
  })
})

describe('other pages', () => {
  it('check your inbox names the address, escaped', () => {
    const html = pages.checkInbox({ email: '<b>ada</b>@example.org' })
    expectSoundPage(html)
    expect(html).toContain('<h1>Check your inbox</h1>')
    expect(html).toContain('&lt;b&gt;ada&lt;/b&gt;@example.org')
  })

  it('confirm shows one button that POSTs, the address escaped', () => {
    const html = pages.confirm({ email: '<b>ada</b>@example.org', action: '/confirm?token=c' })
    expectSoundPage(html)
    expect(html).toContain('<form method="post" action="/confirm?token&#x3D;c">')
    expect(html.match(/<button/g)).toHaveLength(1)
    expect(html).toContain('&lt;b&gt;ada&lt;/b&gt;@example.org')
    expect(html).toContain('<meta name="robots" content="noindex">')
  })

  it('confirmed links to the preferences', () => {
    const html = pages.confirmed({ preferencesUrl: '/preferences?token=abc' })
    expectSoundPage(html)
    expect(html).toContain('href="/preferences?token&#x3D;abc"')
  })

  it('unsubscribe explains and only POSTs', () => {
    const html = pages.unsubscribe({ email: 'ada@example.org', action: '/unsubscribe?token=u' })
    expectSoundPage(html)
    expect(html).toContain('<form method="post" action="/unsubscribe?token&#x3D;u">')
    expect(html).toContain('Unsubscribe</button>')
    expect(html).toContain('ada@example.org')
  })

  it('unsubscribed and deleted render', () => {
    const unsubscribed = pages.unsubscribed({
      links: {
        preferencesUrl: '/preferences?token=abc',
        resubscribeAction: '/preferences/resubscribe?token=abc',
      },
    })
    expectSoundPage(unsubscribed)
    expect(unsubscribed).toContain('href="/preferences?token&#x3D;abc"')
    expect(unsubscribed).toContain(
      '<form method="post" action="/preferences/resubscribe?token&#x3D;abc">',
    )
    // A repeat with a revoked link gets no new links.
    const repeat = pages.unsubscribed({ links: undefined })
    expectSoundPage(repeat)
    expect(repeat).not.toContain('token')
    expect(repeat).toContain("<h1>You're unsubscribed</h1>")
    for (const page of [
      pages.resubscribeRequested({ email: '<b>x</b>@example.org' }),
      pages.signedOut(),
    ]) {
      expectSoundPage(page)
      expect(page).not.toContain('<b>x')
    }
    const deleted = pages.deleted()
    expectSoundPage(deleted)
    expect(deleted).toContain('<h1>Your data is deleted</h1>')
  })

  it('error pages show status, title and message, escaped', () => {
    for (const status of [400, 404, 410, 429, 500]) {
      const html = pages.error({
        status,
        title: 'Link <expired>',
        message: 'Use "the" latest link.',
      })
      expectSoundPage(html)
      expect(html).toContain(`Error ${status}`)
      expect(html).toContain('<h1>Link &lt;expired&gt;</h1>')
      expect(html).toContain('<title>Link &lt;expired&gt; · Paperboy</title>')
      expect(html).toContain('Use &quot;the&quot; latest link.')
      expect(html).not.toContain('<script')
    }
  })

  it('uses the configured product name', () => {
    const custom = createPageRenderer({ productName: 'Arxiv & Me' })
    expect(custom.deleted()).toContain('<a class="brand" href="/">Arxiv &amp; Me</a>')
  })
})

describe('static assets', () => {
  it('serves a stylesheet with a visible focus style', () => {
    expect(pageStylesheet()).toContain(':focus-visible')
  })

  it('fills the time zone only while it still holds the default UTC', () => {
    const run = (value: string, zone: string) => {
      const field = { value }
      vm.runInNewContext(pageScript(), {
        document: {
          querySelector: (selector: string) =>
            selector === 'input[name="timezone"]' ? field : null,
          // No preview area in this fake page: the live preview stays off.
          getElementById: () => null,
        },
        Intl: { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: zone }) }) },
      })
      return field.value
    }
    expect(run('UTC', 'Europe/Paris')).toBe('Europe/Paris')
    expect(run('Asia/Tokyo', 'Europe/Paris')).toBe('Asia/Tokyo')
    expect(run('UTC', '')).toBe('UTC')
  })
})
