import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanData } from '../../../services/mail/clean-data.js'
import {
  createTemplateCompiler,
  mjmlCompileCount,
} from '../../../services/mail/compile-template.js'
import {
  type ConfirmEmailData,
  createMailRenderer,
  defaultTemplatesDir,
} from '../../../services/mail/mail-renderer.js'
import { decodeEntities } from '../../helpers/html.js'

// Undo HTML escaping so assertions can look for the URL a mail client would follow.
const decode = decodeEntities

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1] ?? ''))

const confirmData: ConfirmEmailData = {
  confirmUrl: 'https://paperboy.example/confirm?token=abc.DEF-123&x=1',
  preferencesUrl: 'https://paperboy.example/preferences?token=pref-456',
  topics: [{ name: 'AI safety' }, { name: 'Trending' }],
  interestCount: 2,
  frequencyLabel: 'daily at 08:00 (Europe/Paris)',
}

describe('confirm email', () => {
  const mail = createMailRenderer({})

  it('has a subject naming the product', async () => {
    const email = await mail.confirm(confirmData)
    expect(email.subject).toBe('Confirm your Paperboy subscription')
    expect(email.html).toContain('<title>Confirm your Paperboy subscription</title>')
  })

  it('links to the confirm and preferences URLs in both parts', async () => {
    const email = await mail.confirm(confirmData)
    expect(hrefs(email.html)).toContain(confirmData.confirmUrl)
    expect(hrefs(email.html)).toContain(confirmData.preferencesUrl)
    expect(email.text).toContain(`\n${confirmData.confirmUrl}\n`)
    expect(email.text).toContain(`\n${confirmData.preferencesUrl}\n`)
  })

  it('lists the topics and counts the interests asked for', async () => {
    const email = await mail.confirm(confirmData)
    for (const part of [decode(email.html), email.text]) {
      expect(part).toContain('AI safety')
      expect(part).toMatch(/Interests:(<\/strong>)? 2 interests of your own/)
      expect(part).toContain('daily at 08:00 (Europe/Paris)')
      expect(part).toMatch(/didn't ask for this/)
    }
    expect(email.text).toContain('  - AI safety\n')
    const one = await mail.confirm({ ...confirmData, interestCount: 1 })
    expect(one.text).toContain('Interests: 1 interest of your own')
  })

  it('leaves out the preferences link and empty lists when there are none', async () => {
    const email = await mail.confirm({
      ...confirmData,
      preferencesUrl: undefined,
      topics: [],
      interestCount: 0,
    })
    expect(email.html).not.toContain('preferences?token')
    expect(email.text).not.toContain('preferences')
    expect(email.text).not.toContain('Topics:')
    expect(email.text).not.toContain('Interests:')
    expect(decode(email.html)).not.toContain('Interests:')
  })

  it('escapes hostile topic names in HTML and keeps the text part harmless', async () => {
    const email = await mail.confirm({
      ...confirmData,
      topics: [
        { name: '<script>alert(1)</script>' },
        { name: '"><img src=x onerror=alert(1)>' },
        { name: 'evil\u202Egnp.exe' },
        { name: 'line one\r\nConfirm here: https://evil.example' },
        { name: '{{confirmUrl}}' },
      ],
    })
    expect(email.html).not.toContain('<script>alert')
    expect(email.html).not.toContain('<img src=x')
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(email.html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;')
    // Data is never re-parsed as a template.
    expect(email.html).toContain('<li>{{confirmUrl}}</li>')
    for (const part of [email.html, email.text]) {
      expect(part).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
      expect(part).toContain('evilgnp.exe')
    }
    // A name cannot start a line of its own in the text part.
    expect(email.text).not.toMatch(/^Confirm here:/m)
    expect(email.text).toContain('  - line one  Confirm here: https://evil.example\n')
  })

  it('refuses links that are not http(s)', async () => {
    await expect(
      mail.confirm({ ...confirmData, confirmUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(/http/)
  })
})

describe('already-subscribed email', () => {
  const mail = createMailRenderer({ productName: 'Digest & Co' })
  const data = {
    preferencesUrl: 'https://paperboy.example/preferences?token=p1',
    unsubscribeUrl: 'https://paperboy.example/unsubscribe?token=u1',
  }

  it('has a subject and both links in both parts', async () => {
    const email = await mail.alreadySubscribed(data)
    expect(email.subject).toBe('You already get Digest & Co digests')
    expect(hrefs(email.html)).toEqual(
      expect.arrayContaining([data.preferencesUrl, data.unsubscribeUrl]),
    )
    expect(email.text).toContain(data.preferencesUrl)
    expect(email.text).toContain(data.unsubscribeUrl)
    expect(email.html).toContain('Digest &amp; Co')
    expect(email.text).toContain('Digest & Co')
  })
})

describe('compile once', () => {
  it('compiles each MJML template once however many emails are rendered', async () => {
    const mail = createMailRenderer({})
    const before = mjmlCompileCount()
    // Concurrent first renders must share one compilation, not race to start several.
    const emails = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        mail.confirm({
          ...confirmData,
          confirmUrl: `https://paperboy.example/confirm?token=t${i}`,
        }),
      ),
    )
    for (let i = 0; i < 50; i++) await mail.alreadySubscribed({ ...alreadyLinks(i) })
    expect(mjmlCompileCount() - before).toBe(2)
    expect(new Set(emails.map((e) => e.html)).size).toBe(50)
    expect(hrefs(emails[7]?.html ?? '')).toContain('https://paperboy.example/confirm?token=t7')
  })
})

function alreadyLinks(i: number) {
  return {
    preferencesUrl: `https://paperboy.example/preferences?token=p${i}`,
    unsubscribeUrl: `https://paperboy.example/unsubscribe?token=u${i}`,
  }
}

describe('compileTemplate', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paperboy-mjml-'))
    const section = (body: string) => `<mj-section><mj-column>${body}</mj-column></mj-section>`
    await writeFile(
      path.join(dir, 'kept.mjml'),
      `<mjml><mj-head><mj-title>{{title}}</mj-title></mj-head><mj-body>${section(
        '<mj-button href="{{url}}">Go</mj-button><mj-image src="{{image}}" alt="{{alt}}" /><mj-text><a href="{{url}}">{{label}}</a>{{#each items}}<i>{{this}}</i>{{/each}}</mj-text>',
      )}</mj-body></mjml>`,
    )
    await writeFile(path.join(dir, 'kept.txt.hbs'), '{{label}}: {{url}}\n')
    // MJML drops text between sections, so this template would lose its {{#if}}.
    await writeFile(
      path.join(dir, 'lossy.mjml'),
      `<mjml><mj-body>{{#if flag}}${section('<mj-text>x</mj-text>')}{{/if}}</mj-body></mjml>`,
    )
    await writeFile(path.join(dir, 'lossy.txt.hbs'), 'x\n')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('keeps {{…}} placeholders intact in attributes and text', async () => {
    const compileTemplate = createTemplateCompiler(dir)
    const fill = await compileTemplate('kept')
    const { html, text } = fill({
      title: 'T',
      url: 'https://x.example/a?b=1&c=2',
      image: 'https://x.example/i.png',
      alt: 'A "quoted" alt',
      label: 'L<b>',
      items: ['one', 'two'],
    })
    expect(html).not.toContain('{{')
    expect(hrefs(html)).toEqual(['https://x.example/a?b=1&c=2', 'https://x.example/a?b=1&c=2'])
    expect(html).toContain('src="https://x.example/i.png"')
    expect(html).toContain('alt="A &quot;quoted&quot; alt"')
    expect(html).toContain('L&lt;b&gt;')
    expect(html).toContain('<i>one</i><i>two</i>')
    expect(text).toBe('L<b>: https://x.example/a?b=1&c=2\n')
  })

  it('fails to compile a template whose placeholders MJML dropped', async () => {
    const compileTemplate = createTemplateCompiler(dir)
    await expect(compileTemplate('lossy')).rejects.toThrow(/dropped \{\{#if flag\}\}/)
  })

  it('throws on a field the data lacks rather than rendering an empty link', async () => {
    const fill = await createTemplateCompiler(dir)('kept')
    expect(() => fill({ title: 'T' })).toThrow(/url/)
  })

  it('finds a template broken by an edit when asked to compile all, saying where', async () => {
    const edited = await mkdtemp(path.join(tmpdir(), 'paperboy-edited-'))
    try {
      await cp(fileURLToPath(defaultTemplatesDir), edited, { recursive: true })
      await writeFile(path.join(edited, 'digest.txt.hbs'), 'Papers\n\n{{upper heading}}\n')
      await expect(createMailRenderer({ templatesDir: edited }).compileAll()).rejects.toThrow(
        'digest.txt.hbs:3:1: helpers are not supported',
      )
      await expect(createMailRenderer({}).compileAll()).resolves.toBeUndefined()
    } finally {
      await rm(edited, { recursive: true, force: true })
    }
  })

  it('rejects unknown names and retries after a failure', async () => {
    const compileTemplate = createTemplateCompiler(dir)
    await expect(compileTemplate('../etc/passwd')).rejects.toThrow(/invalid/)
    await expect(compileTemplate('later')).rejects.toThrow()
    await writeFile(path.join(dir, 'later.mjml'), '<mjml><mj-body></mj-body></mjml>')
    await writeFile(path.join(dir, 'later.txt.hbs'), 'ok')
    const fill = await compileTemplate('later')
    expect(fill({}).text).toBe('ok')
  })
})

describe('cleanData', () => {
  it('cleans strings at any depth and leaves other values alone', () => {
    const when = new Date('2026-01-02T03:04:05Z')
    const cleaned = cleanData({
      a: ['x\u202Ey', { b: 'one\ntwo\u2028three' }],
      n: 3,
      when,
      none: null,
    })
    expect(cleaned).toEqual({ a: ['xy', { b: 'one two three' }], n: 3, when, none: null })
    expect((cleaned as { when: unknown }).when).toBe(when)
  })

  it('returns clean data as is and copies only what holds a string to clean', () => {
    const clean = { a: ['x', { b: 'y' }], c: { d: 'z' } }
    expect(cleanData(clean)).toBe(clean)
    const dirty = { a: ['x', { b: 'y\u202E' }], c: { d: 'z' } }
    const cleaned = cleanData(dirty) as typeof dirty
    expect(cleaned).toEqual({ a: ['x', { b: 'y' }], c: { d: 'z' } })
    expect(dirty.a[1]).toEqual({ b: 'y\u202E' })
    expect(cleaned).not.toBe(dirty)
    expect(cleaned.a).not.toBe(dirty.a)
    expect(cleaned.c).toBe(dirty.c)
  })
})
