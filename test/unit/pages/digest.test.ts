import { describe, expect, it } from 'vitest'
import {
  composeDigest,
  composeDigestPage,
  type DigestItem,
  type DigestPaper,
} from '../../../services/domain/digest.js'
import { createPageRenderer } from '../../../services/http/pages/page-renderer.js'

const pages = createPageRenderer({})

function paper(id: string, over: Partial<DigestPaper> = {}): DigestPaper {
  return {
    id,
    title: `Diffusion models, part ${id}`,
    abstract: 'We train diffusion models. '.repeat(30),
    authors: ['Ada Lovelace', 'Alan Turing'],
    url: null,
    upvotes: 12,
    publishedAt: new Date('2026-11-20T00:00:00Z'),
    firstSeenAt: new Date('2026-11-27T06:00:00Z'),
    ...over,
  }
}

const items: DigestItem[] = Array.from({ length: 30 }, (_, i) => ({
  paper: paper(`2611.${String(10000 + i)}`, { upvotes: i }),
  reasons: [
    i % 3 === 0
      ? {
          source: { kind: 'topic', slug: 'ai-safety', name: 'AI safety & alignment' },
          words: ['diffusion'],
        }
      : { source: { kind: 'interest', line: 'diffusion model' }, words: ['diffusion models'] },
  ],
}))

describe('digest page', () => {
  const digest = composeDigest({ items, trending: [], limit: Number.POSITIVE_INFINITY })
  const html = pages.digest({
    digest,
    dateLabel: 'sent on 28 November 2026',
    preferencesUrl: '/preferences?token=p&x=1',
  })

  it('lists every paper, grouped like the email, with a link to each group', () => {
    expect(html.match(/<article\b/g)).toHaveLength(30)
    expect(html.match(/<h2 id="group-\d+">/g)).toHaveLength(2)
    expect(html).toContain('<a href="#group-1">diffusion model</a> (20)')
    expect(html).toContain('<a href="#group-2">AI safety &amp; alignment</a> (10)')
    expect(html).toContain('sent on 28 November 2026')
    expect(html).toContain('<h1>Your digest: 30 papers</h1>')
  })

  it('is a sound page: one h1, no inline style or script, kept out of search engines', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html.match(/<h1\b/g)).toHaveLength(1)
    expect(html).not.toMatch(/<style\b|\sstyle="|<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).toContain('<meta name="robots" content="noindex">')
  })

  it('highlights matched words with <mark> and offers the full abstract', () => {
    expect(html).toContain('<mark>Diffusion models</mark>, part 2611.10029')
    expect(html).toContain('<summary>Full abstract</summary>')
    // The short abstract shows where it was cut.
    expect(html).toMatch(/…<\/p>\s*<details class="examples">/)
    expect(html).toContain('href="https://arxiv.org/abs/2611.10029"')
    expect(html).toContain('<p class="help">Ada Lovelace, Alan Turing</p>')
    expect(html).toContain('<li>▲ 29 upvotes</li><li>arXiv 2611.10029</li><li>20 Nov 2026</li>')
    expect(html).toContain('Matched: <strong>diffusion model</strong> (diffusion models)')
    expect(html).toContain('href="/preferences?token&#x3D;p&amp;x&#x3D;1"')
  })

  it('escapes hostile titles and strips bidi overrides', () => {
    const hostile = composeDigest({
      items: [
        {
          paper: paper('evil', {
            title: '<script>alert(1)</script> "><img src=x onerror=alert(1)> diffusion \u202Eevil',
            url: 'javascript:alert(2)',
            authors: ['<b>Mallory</b>'],
          }),
          reasons: [
            { source: { kind: 'interest', line: '<i>diffusion</i>' }, words: ['diffusion'] },
          ],
        },
      ],
      trending: [],
    })
    const page = pages.digest({ digest: hostile, preferencesUrl: '/preferences?token=p' })
    expect(page).not.toMatch(/<script>alert|<img|<b>|<i>|javascript:/)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).toContain('<mark>diffusion</mark>')
    expect(page).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
  })

  it('shows a card: chips, a fixed-size lazy thumbnail, and words matched in authors and categories', () => {
    const card = composeDigest({
      items: [
        {
          paper: paper('2611.30000', {
            organization: 'Ada <script>alert(5)</script> Labs "Inc"',
            categories: ['cs.LG', 'stat.ML'],
            thumbnailUrl: 'https://cdn.example/thumb.png?a=1&b=2',
            authors: ['Ada Lovelace', 'Alan Turing'],
          }),
          reasons: [
            {
              source: { kind: 'interest', line: 'author:lovelace OR cat:cs.LG' },
              words: ['Ada Lovelace', 'cs.LG'],
            },
          ],
        },
      ],
      trending: [],
    })
    const page = pages.digest({ digest: card, preferencesUrl: '/p' })
    expect(page).toContain(
      '<li>Ada &lt;script&gt;alert(5)&lt;/script&gt; Labs &quot;Inc&quot;</li>',
    )
    expect(page).not.toContain('<script>alert(5)')
    expect(page).toContain('<li>cs.LG</li>')
    expect(page).not.toContain('<li>stat.ML</li>')
    expect(page).toContain(
      '<img class="paper-thumb" src="https://cdn.example/thumb.png?a&#x3D;1&amp;b&#x3D;2" alt="Paper thumbnail" width="120" height="63" loading="lazy"',
    )
    expect(page).toContain(
      'Matched: <strong>author:lovelace OR cat:cs.LG</strong> (author Ada Lovelace, category cs.LG)',
    )
    const off = createPageRenderer({ thumbnails: false }).digest({
      digest: card,
      preferencesUrl: '/p',
    })
    expect(off).not.toContain('<img')
    expect(off).toContain('<li>cs.LG</li>')
  })

  it('shows where a shortened title was cut', () => {
    const long = composeDigest({
      items: [
        {
          paper: paper('2611.20000', { title: `Diffusion ${'models and more '.repeat(40)}` }),
          reasons: [{ source: { kind: 'interest', line: 'diffusion' }, words: ['diffusion'] }],
        },
      ],
      trending: [],
    })
    const page = pages.digest({ digest: long, preferencesUrl: '/p' })
    expect(page).toMatch(/models and( more)?…<\/a><\/h3>/)
  })

  it('shows no pager when the digest fits one page', () => {
    expect(html).not.toContain('class="pager"')
  })

  it("pages a long digest: where this page is, links to its neighbours, the whole digest's count", () => {
    const second = composeDigestPage({ items, trending: [] }, 2, 12)
    const page = pages.digest({
      digest: second.digest,
      pagination: {
        page: 2,
        pageCount: second.pageCount,
        previousUrl: '/digests/7?token=t&page=1',
        nextUrl: '/digests/7?token=t&page=3',
      },
      continuesGroup: second.continuesGroup,
      preferencesUrl: '/p',
    })
    expect(page).toContain('<h1>Your digest: 30 papers</h1>')
    expect(page.match(/<article\b/g)).toHaveLength(12)
    expect(page.match(/Page 2 of 3/g)).toHaveLength(2)
    expect(page).toContain('<a href="/digests/7?token&#x3D;t&amp;page&#x3D;1" rel="prev">')
    expect(page).toContain('<a href="/digests/7?token&#x3D;t&amp;page&#x3D;3" rel="next">')
    expect(page).toContain('<h2 id="group-1">diffusion model (continued)</h2>')
  })

  it('says so when a digest is empty', () => {
    const empty = composeDigest({ items: [], trending: [] })
    expect(pages.digest({ digest: empty, preferencesUrl: '/p' })).toContain(
      'This digest has no papers.',
    )
  })
})
