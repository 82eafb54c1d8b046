import { describe, expect, it } from 'vitest'
import {
  type ComposedDigest,
  composeDigest,
  type DigestItem,
  type DigestPaper,
  type DigestReason,
  type RenderedPaper,
} from '../../../services/domain/digest.js'
import { analyzePaper, evaluate, parseInterest } from '../../../services/domain/query/index.js'
import { createLinks } from '../../../services/links.js'
import { mjmlCompileCount } from '../../../services/mail/compile-template.js'
import { markedText } from '../../../services/mail/digest-email-view.js'
import {
  createMailRenderer,
  type DigestEmailData,
  MAX_DIGEST_HTML_BYTES,
} from '../../../services/mail/mail-renderer.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'
import { decodeEntities } from '../../helpers/html.js'

const decode = decodeEntities
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1] ?? ''))
const bytes = (s: string) => Buffer.byteLength(s, 'utf8')
const papersIn = (html: string) => html.match(/<div class="paper"/g)?.length ?? 0
const plain = (segments: readonly { text: string }[]) => segments.map((s) => s.text).join('')
const allPapers = (d: ComposedDigest): RenderedPaper[] => d.groups.flatMap((g) => g.papers)

const links = {
  webViewUrl: 'https://paperboy.example/digests/42?token=d.42&x=1',
  preferencesUrl: 'https://paperboy.example/preferences?token=p.1',
  unsubscribeUrl: 'https://paperboy.example/unsubscribe?token=u.1',
  feedUrl: 'https://paperboy.example/feeds/f.1',
  frequencyLabel: 'daily at 08:00 (Europe/Paris)',
}
const BIDI = /[\u202A-\u202E\u2066-\u2069]/

/** Real papers matched by real interest lines, the way the matcher records them. */
function realisticItems(): DigestItem[] {
  const interests = [
    'agent*',
    'large language models',
    'diffusion OR "image generation"',
    'reinforcement learning',
    'benchmark',
  ]
  const safety = ['alignment', 'safety', 'adversarial', 'jailbreak*']
  const parsed = (line: string) => {
    const result = parseInterest(line)
    if (!result.ok) throw new Error(`bad test interest ${line}`)
    return result.query
  }
  const items: DigestItem[] = []
  loadFixturePapers().forEach((fixture, i) => {
    const analyzed = analyzePaper(fixture)
    const reasons: DigestReason[] = []
    for (const line of interests) {
      const { matched, words } = evaluate(parsed(line), analyzed)
      if (matched) reasons.push({ source: { kind: 'interest', line }, words })
    }
    for (const line of safety) {
      const { matched, words } = evaluate(parsed(line), analyzed)
      if (matched) {
        reasons.push({
          source: { kind: 'topic', slug: 'ai-safety', name: 'AI safety & alignment', line },
          words,
        })
      }
    }
    if (reasons.length === 0) return
    const paper: DigestPaper = {
      id: fixture.key,
      title: fixture.title,
      abstract: fixture.abstract,
      authors: [...fixture.authors],
      url: `https://papers.example.org/${encodeURIComponent(fixture.key)}`,
      upvotes: (i * 37) % 120,
      publishedAt: new Date(Date.UTC(2026, 5, 1 + (i % 12))),
      firstSeenAt: new Date('2026-06-12T06:00:00Z'),
      // Every card full: the size tests below measure the largest a card gets.
      categories: fixture.categories.length > 0 ? [...fixture.categories] : ['cond-mat.str-el'],
      organization: 'Max Planck Institute for Intelligent Systems and Partner Labs',
      thumbnailUrl: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.${String(10000 + i)}.png`,
    }
    items.push({ paper, reasons })
  })
  return items
}

function hostilePaper(id: string, title: string, over: Partial<DigestPaper> = {}): DigestPaper {
  return {
    id,
    title,
    abstract: 'A hostile abstract </p><script>alert(2)</script> about agents.',
    authors: ['<b>Mallory</b>', 'Eve\u202Eevil'],
    url: null,
    upvotes: 3,
    publishedAt: null,
    firstSeenAt: new Date('2026-06-12T06:00:00Z'),
    ...over,
  }
}

describe('digest email: a full, realistic digest', () => {
  const mail = createMailRenderer({})
  const digest = composeDigest({ items: realisticItems(), trending: [] })

  it('holds 25 papers in well under 100 KB of HTML', async () => {
    expect(digest.total).toBeGreaterThan(25)
    const email = await mail.digest({ digest, ...links })
    expect(papersIn(email.html)).toBe(25)
    // With every card's chips, thumbnail and matched words.
    expect(email.html.match(/<img class="thumb"/g)).toHaveLength(25)
    expect(email.html.match(/<p class="chips"/g)).toHaveLength(25)
    expect(bytes(email.html)).toBeLessThan(100_000)
    expect(bytes(email.html)).toBeLessThan(MAX_DIGEST_HTML_BYTES)
  })

  it('still holds 25 papers under 100 KB with the three triage links under every paper', async () => {
    const signed = createLinks('https://papers.example.org', 's'.repeat(32), () => new Date())
    // A subscriber id and token version far beyond today's make the longest tokens.
    const triage = signed.triage({ id: 123_456_789, tokenVersion: 99_999 })
    const email = await mail.digest({ digest, ...links, triage })
    expect(papersIn(email.html)).toBe(25)
    expect(email.html.match(/href="https:\/\/papers\.example\.org\/triage\//g)).toHaveLength(75)
    console.log(`25-paper digest with triage links: ${bytes(email.html)} bytes of HTML`)
    expect(bytes(email.html)).toBeLessThan(MAX_DIGEST_HTML_BYTES)
  })

  it('highlights matched words with the inlined highlight style', async () => {
    const email = await mail.digest({ digest, ...links })
    const spans = [...email.html.matchAll(/<span class="hl" style="([^"]*)">([^<]*)<\/span>/g)]
    expect(spans.length).toBeGreaterThan(25)
    for (const [, style] of spans) expect(style).toContain('background-color')
    expect(spans.map((s) => s[2]?.toLowerCase())).toContain('large language models')
    // Every highlight is a span the template made: none is left without its style.
    expect(email.html.match(/class="hl"/g)?.length).toBe(spans.length)
  })

  it('has a text part with every paper title and link, and no markup', async () => {
    const email = await mail.digest({ digest, ...links })
    for (const paper of allPapers(digest)) {
      expect(email.text).toContain(plain(paper.title))
      if (paper.url) expect(email.text).toContain(`\n   ${paper.url}\n`)
    }
    expect(email.text).not.toMatch(/<span|<a |<p>/)
    expect(email.text).toContain(`View all ${digest.total} papers:\n${links.webViewUrl}\n`)
  })

  it('links to the web view, "view all", preferences, the feed and unsubscribe', async () => {
    const viewAllUrl = 'https://paperboy.example/digests/42?token=d.42#all'
    const email = await mail.digest({ digest, ...links, viewAllUrl })
    expect(hrefs(email.html)).toEqual(
      expect.arrayContaining([
        links.webViewUrl,
        viewAllUrl,
        links.preferencesUrl,
        links.feedUrl,
        links.unsubscribeUrl,
      ]),
    )
    expect(decode(email.html)).toContain(`View all ${digest.total} papers`)
    expect(decode(email.html)).toContain(
      `<a href="${links.feedUrl}">Follow in your feed reader</a>`,
    )
    for (const part of [decode(email.html), email.text]) {
      expect(part).toContain('daily at 08:00 (Europe/Paris)')
      expect(part).toMatch(/You get this email because you subscribed/)
    }
    expect(email.text).toContain(`Unsubscribe:\n${links.unsubscribeUrl}\n`)
    expect(email.text).toContain(`Manage preferences:\n${links.preferencesUrl}\n`)
    expect(email.text).toContain(`Follow in your feed reader:\n${links.feedUrl}\n`)
  })

  it('has the composed subject and numbers papers in reading order', async () => {
    const email = await mail.digest({ digest, ...links })
    expect(email.subject).toBe(digest.subject)
    expect(email.subject).toMatch(/^\d+ new papers on /)
    const numbers = [...email.text.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]))
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
  })
})

describe('digest email: small digests', () => {
  const mail = createMailRenderer({})
  const one = composeDigest({
    items: [
      {
        paper: hostilePaper('2606.00001', 'Agents that plan', { upvotes: 0 }),
        reasons: [{ source: { kind: 'interest', line: 'agent*' }, words: ['agents'] }],
      },
      {
        paper: hostilePaper('no-link', 'A paper without a link', { upvotes: null }),
        reasons: [{ source: { kind: 'interest', line: 'agent*' }, words: ['agents'] }],
      },
    ],
    trending: [],
  })

  it('has no "view all" button when everything fits', async () => {
    const email = await mail.digest({ digest: one, ...links })
    expect(email.html).not.toContain('View all')
    expect(email.text).not.toContain('View all')
    expect(email.html).toContain('2 new papers for you')
  })

  it('links a paper to arXiv by its id, and leaves a paper with no link unlinked', async () => {
    const email = await mail.digest({ digest: one, ...links })
    expect(hrefs(email.html)).toContain('https://arxiv.org/abs/2606.00001')
    expect(email.html).toMatch(/<p class="paper-title"[^>]*>A paper without a link<\/p>/)
    // Zero or unknown upvotes say nothing.
    expect(email.html).not.toContain('upvote')
  })

  it('refuses links that are not http(s)', async () => {
    await expect(
      mail.digest({ digest: one, ...links, unsubscribeUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(/http/)
  })
})

describe('digest email: paper cards', () => {
  const cardPaper = hostilePaper('2606.00467', 'Agents that plan', {
    authors: ['Ada Lovelace', 'Alan Turing'],
    upvotes: 42,
    publishedAt: new Date('2026-06-10T20:00:00Z'),
    categories: ['cs.LG', 'cs.AI'],
    organization: 'California institute of technology',
    thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.00467.png',
  })
  const digest = composeDigest({
    items: [
      {
        paper: cardPaper,
        reasons: [
          {
            source: { kind: 'interest', line: 'author:lovelace OR cat:cs.LG' },
            words: ['Ada Lovelace', 'cs.LG'],
          },
          { source: { kind: 'interest', line: 'agent*' }, words: ['Agents', 'agents'] },
        ],
      },
    ],
    trending: [],
  })

  it('shows upvotes, organisation, arXiv id, primary category and date as chips, in both parts', async () => {
    const email = await createMailRenderer({}).digest({ digest, ...links })
    const chips = [...email.html.matchAll(/<span class="chip"[^>]*>([^<]*)<\/span>/g)].map((m) =>
      decode(m[1] ?? ''),
    )
    expect(chips).toEqual([
      '▲ 42 upvotes',
      'California institute of technology',
      'arXiv 2606.00467',
      'cs.LG',
      '10 Jun 2026',
    ])
    expect(email.text).toContain(
      '\n   ▲ 42 upvotes · California institute of technology · arXiv 2606.00467 · cs.LG · 10 Jun 2026\n',
    )
  })

  it('says which words matched, naming those found in an author or a category', async () => {
    const email = await createMailRenderer({}).digest({ digest, ...links })
    const why =
      'Matched: author:lovelace OR cat:cs.LG (author Ada Lovelace, category cs.LG) · agent* (Agents)'
    expect(email.text).toContain(`\n   ${why}\n`)
    const html = decode(email.html.replace(/<[^>]+>/g, ''))
    expect(html).toContain(why)
  })

  it('shows the thumbnail at a fixed size with alt text, or not at all when turned off', async () => {
    const email = await createMailRenderer({}).digest({ digest, ...links })
    const img = email.html.match(/<a href="([^"]*)"><img class="thumb"[^>]*><\/a>/)
    expect(img?.[1]).toBe('https://arxiv.org/abs/2606.00467')
    expect(img?.[0]).toContain(`src="${cardPaper.thumbnailUrl}"`)
    expect(img?.[0]).toMatch(/ alt="Paper thumbnail" width="120" height="63" /)
    const off = await createMailRenderer({ thumbnails: false }).digest({ digest, ...links })
    expect(off.html).not.toContain('<img')
    expect(off.html).toContain('arXiv 2606.00467')
  })

  it('shows no thumbnail for a paper with no link, so both parts carry the same links', async () => {
    const unlinked = composeDigest({
      items: [
        {
          paper: { ...cardPaper, id: 'no-link', url: null },
          reasons: [{ source: { kind: 'interest', line: 'agent*' }, words: ['agents'] }],
        },
      ],
      trending: [],
    })
    const email = await createMailRenderer({}).digest({ digest: unlinked, ...links })
    expect(email.html).not.toContain('<img')
    expect(email.html).toContain('California institute of technology')
  })

  it('never shows a thumbnail that is not https', async () => {
    for (const thumbnailUrl of ['http://cdn.example/t.png', 'javascript:alert(1)', 'data:x']) {
      const plainHttp = composeDigest({
        items: [
          {
            paper: { ...cardPaper, thumbnailUrl },
            reasons: [{ source: { kind: 'interest', line: 'agent*' }, words: ['agents'] }],
          },
        ],
        trending: [],
      })
      const email = await createMailRenderer({}).digest({ digest: plainHttp, ...links })
      expect(email.html).not.toContain('<img')
    }
  })

  it('escapes a hostile organisation name in both parts', async () => {
    const hostile = composeDigest({
      items: [
        {
          paper: {
            ...cardPaper,
            organization: '<img src=x onerror=alert(1)> "Labs" & \u202Eevil',
          },
          reasons: [{ source: { kind: 'interest', line: 'agent*' }, words: ['agents'] }],
        },
      ],
      trending: [],
    })
    const email = await createMailRenderer({ thumbnails: false }).digest({
      digest: hostile,
      ...links,
    })
    expect(email.html).not.toMatch(/<img|onerror=alert/)
    expect(email.html).toContain(
      '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &quot;Labs&quot; &amp; ',
    )
    expect(email.html).not.toMatch(BIDI)
    expect(email.text).toContain('<img src=x onerror=alert(1)> "Labs" & ')
  })
})

describe('digest email: hostile data', () => {
  const mail = createMailRenderer({})
  const titles = [
    '<script>alert(1)</script> agents',
    '"><img src=x onerror=alert(1)> agents',
    'Agents \u202Egnp.exe and \u2066isolates\u2069',
    `Agents ${'<'.repeat(5000)}`,
    `Agents ${'A'.repeat(5000)}`,
    'Agents {{webViewUrl}} {{#each groups}}',
    'Agents\r\nUnsubscribe: https://evil.example',
    'Agents für Ärzte — 多智能体 🤖 \uD800 lone half',
  ]
  const items: DigestItem[] = Array.from({ length: 25 }, (_, i) => ({
    paper: hostilePaper(`evil-${i}`, titles[i % titles.length] as string, {
      url: i === 0 ? 'javascript:alert(3)' : `https://example.org/p/${i}?a=1&b="x"`,
    }),
    reasons: [
      { source: { kind: 'interest', line: '<i>agent*</i> \u202Eevil' }, words: ['agents'] },
      {
        source: { kind: 'topic', slug: 'x', name: '<img src=y onerror=alert(4)>' },
        words: ['about'],
      },
    ],
  }))
  const digest = composeDigest({ items, trending: [] })

  it('escapes every title, abstract, author, interest and topic name', async () => {
    const email = await mail.digest({ digest, ...links })
    expect(email.html).not.toMatch(/<script|<img|<i>|<b>|onerror=alert/i)
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(email.html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;')
    expect(email.html).toContain('&lt;b&gt;Mallory&lt;/b&gt;')
    expect(email.html).toContain('&lt;i&gt;agent*&lt;/i&gt;')
    // A `javascript:` link from a source is dropped; others keep their (escaped) URL.
    expect(hrefs(email.html).some((h) => h.startsWith('javascript:'))).toBe(false)
    expect(hrefs(email.html)).toContain('https://example.org/p/1?a=1&b="x"')
    // Data is never re-read as a template.
    expect(decode(email.html)).toContain('</span> {{webViewUrl}} {{#each groups}}</a>')
  })

  it('writes the HTML part in ASCII, every other character as a character reference', async () => {
    const email = await mail.digest({ digest, ...links })
    expect(email.html).not.toMatch(/[\u0080-\uFFFF]/)
    expect(email.html).toContain(' f&#252;r &#196;rzte &#8212; &#22810;&#26234;&#33021;&#20307;')
    // One reference per character, even beyond the 16-bit range; half a pair shows as U+FFFD.
    expect(email.html).toContain('&#129302; &#65533; lone half')
    expect(email.text).toContain('Agents für Ärzte — 多智能体 🤖 ')
  })

  it('strips bidi overrides and isolates from both parts and the subject', async () => {
    const email = await mail.digest({ digest, ...links })
    for (const part of [email.html, email.text, email.subject]) expect(part).not.toMatch(BIDI)
    expect(email.text).toContain('gnp.exe')
  })

  it('keeps a hostile title on one line of the text part', async () => {
    const email = await mail.digest({ digest, ...links })
    expect(email.text).not.toMatch(/^Unsubscribe: https:\/\/evil/m)
    expect(email.text).toContain('Agents  Unsubscribe: https://evil.example')
  })

  it('clips 5,000-character titles and stays under the size limit', async () => {
    const email = await mail.digest({ digest, ...links })
    expect(email.html).not.toContain('A'.repeat(400))
    expect(email.html).toContain(`${'A'.repeat(200)}`)
    // The cut shows: an ellipsis (U+2026) right after the kept text, in both parts.
    expect(email.html).toMatch(/AAAA&#8230;</)
    expect(email.text).toMatch(/AAAA…\n/)
    expect(papersIn(email.html)).toBe(25)
    expect(bytes(email.html)).toBeLessThan(MAX_DIGEST_HTML_BYTES)
  })

  it('moves papers to "view all" rather than let the email outgrow the limit', async () => {
    // Bypasses composition, which clips titles: a digest built elsewhere must be safe too.
    const huge: ComposedDigest = {
      ...digest,
      groups: digest.groups.map((g) => ({
        ...g,
        papers: g.papers.map((p) => ({
          ...p,
          title: [{ text: '<&>'.repeat(3000), highlight: true }],
        })),
      })),
    }
    const email = await mail.digest({ digest: huge, ...links })
    expect(bytes(email.html)).toBeLessThanOrEqual(MAX_DIGEST_HTML_BYTES)
    expect(bytes(email.html)).toBeGreaterThan(MAX_DIGEST_HTML_BYTES * 0.9)
    const shown = papersIn(email.html)
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(25)
    expect(decode(email.html)).toContain(`${25 - shown} more papers did not fit`)
    expect(hrefs(email.html)).toContain(links.unsubscribeUrl)
  })
})

describe('markedText', () => {
  it('pairs each highlight with the plain text before it, keeping the rest as the tail', () => {
    expect(
      markedText([
        { text: 'Safe ', highlight: false },
        { text: 'agents', highlight: true },
        { text: ' and ', highlight: false },
        { text: 'tools', highlight: true },
        { text: ' today', highlight: false },
      ]),
    ).toEqual({
      marks: [
        { before: 'Safe ', mark: 'agents' },
        { before: ' and ', mark: 'tools' },
      ],
      tail: ' today',
    })
    expect(markedText([{ text: 'agents', highlight: true }])).toEqual({
      marks: [{ before: '', mark: 'agents' }],
      tail: '',
    })
    expect(markedText([])).toEqual({ marks: [], tail: '' })
  })
})

describe('digest email: compile once', () => {
  it('compiles digest.mjml once however many digests are rendered', async () => {
    const mail = createMailRenderer({})
    const digest = composeDigest({ items: realisticItems(), trending: [] })
    const before = mjmlCompileCount()
    const data = (i: number): DigestEmailData => ({
      digest,
      ...links,
      webViewUrl: `https://paperboy.example/digests/${i}?token=t${i}`,
    })
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => mail.digest(data(i))))
    for (let i = 20; i < 100; i++) await mail.digest(data(i))
    expect(mjmlCompileCount() - before).toBe(1)
    expect(new Set(first.map((e) => e.html)).size).toBe(20)
  })
})
