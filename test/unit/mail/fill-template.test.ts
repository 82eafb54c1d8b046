import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import Handlebars from 'handlebars'
import mjml2html from 'mjml'
import { describe, expect, it } from 'vitest'
import { composeDigest } from '../../../services/domain/digest.js'
import { cleanData, cleanText } from '../../../services/mail/clean-data.js'
import { createTemplateCompiler } from '../../../services/mail/compile-template.js'
import { digestView } from '../../../services/mail/digest-email-view.js'
import { compileFill } from '../../../services/mail/fill-template.js'
import { asciiMarkup, htmlText } from '../../../services/mail/html-text.js'
import { defaultTemplatesDir } from '../../../services/mail/mail-renderer.js'
import { decodeEntities } from '../../helpers/html.js'

// The filler must print exactly what Handlebars (strict mode, built-in helpers only) prints
// for the same template and data; these tests hold it to that with Handlebars itself.
const handlebars = (source: string, noEscape = false) =>
  Handlebars.create().compile(source, {
    strict: true,
    data: false,
    knownHelpersOnly: true,
    noEscape,
  })

const asHandlebarsEscapes = { name: 'test', filter: Handlebars.Utils.escapeExpression }
const verbatim = { name: 'test', filter: (text: string) => text }

// Lone surrogates show as U+FFFD once decoded, as in any mail client.
const wellFormed = (s: string) => s.replace(/\p{Surrogate}/gu, '\uFFFD')

const SMALL_TEMPLATES = [
  'Hello {{name}}!',
  '{{#if flag}}yes {{name}}{{else}}no{{/if}}',
  '{{#each items}}[{{this}}]{{else}}none{{/each}}',
  '{{#each rows}}{{#each cells}}<td>{{value}}</td>{{/each}}|{{/each}}',
  '{{#if items}}{{items.length}} items{{/if}} {{nested.deep.value}}',
  '{{#each rows}}{{#if cells}}{{cells.length}}{{else if label}}{{label}}{{else}}-{{/if}}{{/each}}',
  '{{! a comment }}\n  {{#each items}}\n  - {{this}}\n  {{/each}}\n',
]

const text = fc.string({ unit: 'binary', maxLength: 20 })
const smallData = fc.record({
  name: text,
  flag: fc.oneof(fc.boolean(), fc.constant(0), fc.constant(''), fc.constant(null), text),
  items: fc.array(text, { maxLength: 4 }),
  rows: fc.array(
    fc.record({
      cells: fc.array(fc.record({ value: fc.oneof(text, fc.integer()) }), { maxLength: 3 }),
      label: fc.oneof(text, fc.constant(null)),
    }),
    { maxLength: 3 },
  ),
  nested: fc.record({ deep: fc.record({ value: fc.oneof(text, fc.double(), fc.constant(null)) }) }),
})

describe('compileFill', () => {
  it('prints what Handlebars prints, escaped or not, for any data', () => {
    for (const source of SMALL_TEMPLATES) {
      const escaped = compileFill(source, asHandlebarsEscapes)
      const raw = compileFill(source, verbatim)
      const expectedEscaped = handlebars(source)
      const expectedRaw = handlebars(source, true)
      fc.assert(
        fc.property(smallData, (data) => {
          expect(escaped(data)).toBe(expectedEscaped(data))
          expect(raw(data)).toBe(expectedRaw(data))
        }),
        { numRuns: 200 },
      )
    }
  })

  it('names the field and its place when the data lacks it', () => {
    const fill = compileFill('line one\n  {{#each papers}}{{title.text}}{{/each}}', verbatim)
    expect(() => fill({ papers: [{ title: {} }] })).toThrow('test:2:21: the data has no "text"')
    expect(() => fill({ papers: [{ title: null }] })).toThrow('the data has no "text"')
    expect(() => fill({})).toThrow('test:2:11: the data has no "papers"')
    expect(() => fill({ papers: 'abc' })).toThrow('#each needs a list')
  })

  it('refuses to print objects rather than print "[object Object]"', () => {
    expect(() => compileFill('{{paper}}', verbatim)({ paper: { id: 1 } })).toThrow(
      'test:1:1: cannot print a object',
    )
  })

  it('rejects what email templates must not use, saying where', () => {
    const cases: [string, RegExp][] = [
      ['a\n {{{raw}}}', /^test:2:2: triple braces would print unescaped text/],
      ['{{upper name}}', /^test:1:1: helpers are not supported/],
      ['{{#each items}}{{@index}}{{/each}}', /^test:1:18: @-variables \(@index\)/],
      ['{{#each items}}{{../name}}{{/each}}', /^test:1:18: parent paths/],
      ['{{> footer}}', /^test:1:1: PartialStatement is not supported/],
      ['{{#with person}}{{name}}{{/with}}', /^test:1:1: #with is not supported/],
      ['{{#each items as |item|}}{{item}}{{/each}}', /block parameters/],
      ['{{#if a b}}x{{/if}}', /#if takes exactly one field/],
      ['{{^if a}}x{{/if}}', /^test:1:1: inverse blocks \(\{\{\^if\}\}\) are not supported/],
    ]
    for (const [source, message] of cases) {
      expect(() => compileFill(source, verbatim), source).toThrow(message)
    }
  })
})

describe('htmlText', () => {
  it('escapes markup as Handlebars does and cleans like every email value', () => {
    expect(htmlText('<a href="x">\'`=&</a>')).toBe(
      '&lt;a href&#x3D;&quot;x&quot;&gt;&#x27;&#x60;&#x3D;&amp;&lt;/a&gt;',
    )
    expect(htmlText('line\r\nbreak\u2028and\u202Eflip\u2066')).toBe('line  break andflip')
    expect(htmlText('plain words')).toBe('plain words')
  })

  it('writes each character beyond ASCII as one reference', () => {
    expect(htmlText('café — 🤖')).toBe('caf&#233; &#8212; &#129302;')
    expect(htmlText('\uD83E alone, \uDD16 too')).toBe('&#65533; alone, &#65533; too')
    // A bidi control between the halves goes first, as in the text part: one character again.
    expect(htmlText('\uD83E\u202E\uDD16')).toBe('&#129302;')
  })

  it('is pure ASCII and reads back as the cleaned text, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        const html = htmlText(value)
        expect(html).toMatch(/^[\x20-\x7E]*$/)
        expect(decodeEntities(html)).toBe(wellFormed(cleanText(value)))
      }),
      { numRuns: 500 },
    )
  })
})

describe('email templates', () => {
  const dir = fileURLToPath(defaultTemplatesDir)
  const compileTemplate = createTemplateCompiler(defaultTemplatesDir)
  // Ours as the renderer compiles it; Handlebars on the same MJML output for comparison.
  async function template(name: string) {
    const file = path.join(dir, `${name}.mjml`)
    const { html } = await mjml2html(await readFile(file, 'utf8'), {
      filePath: file,
      ignoreIncludes: false,
      keepComments: false,
      fonts: {},
    })
    const textSource = await readFile(path.join(dir, `${name}.txt.hbs`), 'utf8')
    return {
      fill: await compileTemplate(name),
      expectedHtml: handlebars(html),
      expectedText: handlebars(textSource, true),
    }
  }

  // Every string of a real view replaced by arbitrary text; the shape stays the real one.
  function withStrings(view: unknown, strings: string[]): unknown {
    let next = 0
    const replace = (value: unknown): unknown => {
      if (typeof value === 'string') return strings[next++ % strings.length]
      if (Array.isArray(value)) return value.map(replace)
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]))
      }
      return value
    }
    return replace(view)
  }

  const hostile = fc.array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('<script>x</script>', '"><img onerror=1>', 'a\u202Eb', '{{x}}', '', '…'),
    ),
    { minLength: 1, maxLength: 40 },
  )

  it('fill every email exactly as Handlebars would, with the HTML part in ASCII', async () => {
    const digest = composeDigest({
      items: Array.from({ length: 6 }, (_, i) => ({
        paper: {
          id: `2611.0000${i}`,
          title: `Agents that plan ${i}`,
          abstract: 'Agents plan. '.repeat(40),
          authors: ['Ada Lovelace', 'Alan Turing'],
          url: null,
          upvotes: i,
          publishedAt: new Date('2026-11-20T00:00:00Z'),
          firstSeenAt: new Date('2026-11-20T00:00:00Z'),
        },
        reasons: [{ source: { kind: 'interest' as const, line: 'agent*' }, words: ['agents'] }],
      })),
      trending: [],
    })
    const digestData = digestView(
      {
        digest: { ...digest, overflow: 2 },
        webViewUrl: 'https://p.example/d/1?token=a',
        preferencesUrl: 'https://p.example/p?token=a',
        unsubscribeUrl: 'https://p.example/u?token=a',
        feedUrl: 'https://p.example/feeds/a',
        frequencyLabel: 'daily at 08:00 (UTC)',
      },
      { ...digest, overflow: 2 },
      { productName: 'Paperboy', web: (u) => u, paper: (u) => u },
    )
    const views: Record<string, object> = {
      digest: digestData,
      confirm: {
        subject: 's',
        productName: 'Paperboy',
        confirmUrl: 'https://p.example/c',
        preferencesUrl: 'https://p.example/p',
        topics: [{ name: 'AI safety' }, { name: 'Robotics' }],
        interestsLabel: '2 interests',
        frequencyLabel: 'daily',
      },
      'already-subscribed': {
        subject: 's',
        productName: 'Paperboy',
        preferencesUrl: 'https://p.example/p',
        unsubscribeUrl: 'https://p.example/u',
      },
    }
    for (const [name, view] of Object.entries(views)) {
      const compiled = await template(name)
      fc.assert(
        fc.property(hostile, (strings) => {
          const data = withStrings(view, strings) as object
          const { html, text } = compiled.fill(data)
          expect(html).not.toMatch(/[\u0080-\uFFFF]/)
          expect(html).toBe(asciiMarkup(wellFormed(compiled.expectedHtml(cleanData(data)))))
          expect(text).toBe(compiled.expectedText(cleanData(data)))
        }),
        { numRuns: 60 },
      )
    }
  })
})
