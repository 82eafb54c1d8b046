import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ComposedDigest,
  composeDigest,
  type DigestItem,
  type DigestPaper,
  type DigestReason,
  highlight,
  httpUrlOrNull,
  MAX_SUBJECT_LENGTH,
  type Segment,
  shorten,
} from '../../../services/domain/digest.js'

const marked = (segments: readonly Segment[]) =>
  segments.filter((s) => s.highlight).map((s) => s.text)
const joined = (segments: readonly Segment[]) => segments.map((s) => s.text).join('')

function paper(id: string, over: Partial<DigestPaper> = {}): DigestPaper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: 'An abstract.',
    authors: ['Ada Lovelace'],
    url: null,
    upvotes: null,
    publishedAt: new Date('2026-11-20T00:00:00Z'),
    firstSeenAt: new Date('2026-11-27T06:00:00Z'),
    ...over,
  }
}
const interest = (line: string, ...words: string[]): DigestReason => ({
  source: { kind: 'interest', line },
  words,
})
const topic = (slug: string, name: string, ...words: string[]): DigestReason => ({
  source: { kind: 'topic', slug, name },
  words,
})
const item = (p: DigestPaper, ...reasons: DigestReason[]): DigestItem => ({ paper: p, reasons })

const shownIds = (d: ComposedDigest) => d.groups.flatMap((g) => g.papers.map((p) => p.id))

describe('highlight', () => {
  it('highlights a text it has seen before by the words asked for this time', () => {
    const text = 'Models of a café'
    expect(marked(highlight(text, ['model']))).toEqual(['Models'])
    expect(marked(highlight(text, ['cafe']))).toEqual(['café'])
    expect(marked(highlight(text, ['model', 'cafe']))).toEqual(['Models', 'café'])
    expect(joined(highlight(text, []))).toBe(text)
  })

  it('matches normalised words: plurals, case, possessives and diacritics', () => {
    const segments = highlight("Models of a model's Café: MODEL", ['model', 'cafe'])
    expect(marked(segments)).toEqual(['Models', "model's Café", 'MODEL'])
    expect(joined(segments)).toBe("Models of a model's Café: MODEL")
  })

  it('highlights a phrase with the space between its words, and only in that order', () => {
    const segments = highlight(
      'Reinforcement  learning, not learning reinforcement; reward-free RL',
      ['reinforcement learning', 'reward free'],
    )
    expect(marked(segments)).toEqual(['Reinforcement  learning', 'reward-free'])
  })

  it('never highlights inside a word (RL in URL or world)', () => {
    expect(marked(highlight('URL parsing of the world with RL', ['rl']))).toEqual(['RL'])
  })

  it('highlights single CJK characters and words inside CJK text', () => {
    const segments = highlight('大规模语言模型的对齐', ['模型'])
    expect(marked(segments)).toEqual(['模型'])
    expect(joined(segments)).toBe('大规模语言模型的对齐')
  })

  it('leaves text alone when nothing matched', () => {
    expect(highlight('Plain <b>title</b>', [])).toEqual([
      { text: 'Plain <b>title</b>', highlight: false },
    ])
    expect(highlight('', ['x'])).toEqual([])
  })

  it('keeps the text exactly, whatever it and the words are', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
        (text, words) => {
          const segments = highlight(text, words)
          expect(joined(segments)).toBe(text)
          for (const s of segments) expect(s.text).not.toBe('')
          // Neighbours differ, or they would have been one segment.
          segments.forEach((s, i) => {
            if (i > 0) expect(s.highlight).not.toBe(segments[i - 1]?.highlight)
          })
        },
      ),
    )
  })
})

describe('httpUrlOrNull', () => {
  it('keeps http(s) links, trimmed, and drops every other scheme or non-link', () => {
    expect(httpUrlOrNull('https://arxiv.org/abs/2611.00001')).toBe(
      'https://arxiv.org/abs/2611.00001',
    )
    expect(httpUrlOrNull('HTTP://example.org/a?b=1')).toBe('HTTP://example.org/a?b=1')
    expect(httpUrlOrNull('  https://example.org/x \n')).toBe('https://example.org/x')
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'ftp://x.org',
      'https://',
      'arxiv.org/abs/1',
      '',
    ]) {
      expect(httpUrlOrNull(bad), bad).toBeNull()
    }
    expect(httpUrlOrNull(null)).toBeNull()
  })
})

describe('shorten', () => {
  const long = `${'We align large language models with human feedback. '.repeat(12)}End.`

  it('leaves short text alone', () => {
    const segments = highlight('A short abstract.', ['abstract'])
    expect(shorten(segments, 300)).toEqual({ segments, shortened: false })
  })

  it('cuts at a word boundary and drops trailing punctuation, leaving the ellipsis to the reader', () => {
    const { segments, shortened } = shorten(highlight(long, []), 300)
    const text = joined(segments)
    expect(shortened).toBe(true)
    expect(text.length).toBeLessThanOrEqual(300)
    expect(text.length).toBeGreaterThan(200)
    expect(text).not.toMatch(/[\s.,…]$/)
    expect(long.startsWith(text)).toBe(true)
    expect(long.charAt(text.length)).toMatch(/[\s.,]/)
  })

  it('keeps highlights before the cut', () => {
    const { segments } = shorten(highlight(long, ['language model']), 300)
    expect(marked(segments).length).toBeGreaterThanOrEqual(5)
    expect(new Set(marked(segments))).toEqual(new Set(['language models']))
  })

  it('ends on the highlight when the cut falls right after it', () => {
    const text = `${'aa '.repeat(50)}language models ${'bb '.repeat(100)}`
    const max = text.indexOf('models') + 'models'.length
    const { segments, shortened } = shorten(highlight(text, ['language model']), max)
    expect(shortened).toBe(true)
    expect(segments.slice(-2)).toEqual([
      { text: 'aa '.repeat(50), highlight: false },
      { text: 'language models', highlight: true },
    ])
  })

  it('cuts a text without spaces hard, never inside a surrogate pair', () => {
    const emoji = '😀'.repeat(400)
    const text = joined(shorten(highlight(emoji, []), 301).segments)
    expect(text).toBe('😀'.repeat(150))
  })

  it('always gives a prefix of the text, at most max long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (text) => {
        const { segments, shortened } = shorten(highlight(text, []), 100)
        const out = joined(segments)
        if (!shortened) expect(out).toBe(text)
        else {
          expect(text.startsWith(out)).toBe(true)
          expect(out.length).toBeLessThanOrEqual(100)
          // Only trailing spaces and punctuation are dropped: a cut that could keep a word does.
          if (/[^\s,;:.\-\u2013\u2014(]/u.test(text.slice(0, 60))) expect(out).not.toBe('')
        }
      }),
    )
  })
})

describe('composeDigest: ranking and groups', () => {
  it('ranks by matched interests, then upvotes, then recency', () => {
    const d = composeDigest({
      items: [
        item(
          paper('old-popular', { upvotes: 90, publishedAt: new Date('2026-01-01') }),
          interest('a', 'a'),
        ),
        item(
          paper('new-popular', { upvotes: 90, publishedAt: new Date('2026-11-01') }),
          interest('a', 'a'),
        ),
        item(paper('two-matches', { upvotes: 1 }), interest('a', 'a'), interest('b', 'b')),
        item(paper('unknown-upvotes'), interest('a', 'a')),
        item(paper('popular', { upvotes: 200 }), interest('a', 'a')),
      ],
      trending: [],
    })
    expect(shownIds(d)).toEqual([
      'two-matches',
      'popular',
      'new-popular',
      'old-popular',
      'unknown-upvotes',
    ])
    expect(d.groups.flatMap((g) => g.papers.map((p) => p.rank))).toEqual([1, 2, 3, 4, 5])
  })

  it('uses when Paperboy first saw a paper when it has no publication date', () => {
    const d = composeDigest({
      items: [
        item(
          paper('seen-early', { publishedAt: null, firstSeenAt: new Date('2026-11-01') }),
          interest('a'),
        ),
        item(
          paper('seen-late', { publishedAt: null, firstSeenAt: new Date('2026-11-20') }),
          interest('a'),
        ),
      ],
      trending: [],
    })
    expect(shownIds(d)).toEqual(['seen-late', 'seen-early'])
  })

  it("puts each paper once, in its best reason's group: own interests before topics", () => {
    const d = composeDigest({
      items: [
        item(
          paper('p1'),
          topic('ai-safety', 'AI safety & alignment', 'alignment', 'safety'),
          interest('rlhf', 'rlhf'),
        ),
        item(paper('p2'), topic('ai-safety', 'AI safety & alignment', 'safety')),
        // Between two interests, the one that matched more distinct words wins.
        item(
          paper('p3'),
          interest('diffusion', 'diffusion'),
          interest('video AND diffusion', 'video', 'diffusion'),
        ),
      ],
      trending: [],
    })
    expect(d.groups.map((g) => [g.key, g.papers.map((p) => p.id)])).toEqual([
      ['interest:rlhf', ['p1']],
      ['interest:video AND diffusion', ['p3']],
      ['topic:ai-safety', ['p2']],
    ])
    expect(d.groups[0]?.title).toBe('rlhf')
    expect(d.groups[2]?.title).toBe('AI safety & alignment')
    expect(d.groups[0]?.papers[0]?.why).toEqual(['rlhf', 'AI safety & alignment'])
  })

  it('highlights the words of every reason, not only the group one', () => {
    const d = composeDigest({
      items: [
        item(
          paper('p1', { title: 'Safety of diffusion models', abstract: 'Diffusion and safety.' }),
          interest('diffusion model', 'diffusion models'),
          topic('ai-safety', 'AI safety', 'safety'),
        ),
      ],
      trending: [],
    })
    const p = d.groups[0]?.papers[0]
    expect(marked(p?.title ?? [])).toEqual(['Safety', 'diffusion models'])
    expect(marked(p?.shortAbstract ?? [])).toEqual(['safety'])
  })

  it('merges duplicate items of one paper', () => {
    const d = composeDigest({
      items: [item(paper('p1'), interest('a', 'a')), item(paper('p1'), interest('b', 'b'))],
      trending: [],
    })
    expect(d.total).toBe(1)
    expect(d.groups[0]?.papers[0]?.why).toEqual(['a', 'b'])
  })

  it('shows a paper as it is now, highlighted for this digest, whatever digests showed before', () => {
    const shown = (p: DigestPaper, ...words: string[]) =>
      composeDigest({ items: [item(p, interest(words.join(' '), ...words))], trending: [] })
        .groups[0]?.papers[0]
    const first = paper('p-cached', {
      title: 'Sparse attention for agents',
      abstract: 'Agents attend sparsely.',
      authors: ['Ada Lovelace'],
    })
    expect(marked(shown(first, 'agent')?.title ?? [])).toEqual(['agents'])
    // Same paper, other words: other highlights.
    expect(marked(shown({ ...first }, 'sparse attention')?.title ?? [])).toEqual([
      'Sparse attention',
    ])
    // Same paper and words, with one of its shown fields corrected by the source since.
    const corrected = (change: Partial<DigestPaper>) => {
      shown(first, 'agent')
      return shown({ ...first, ...change }, 'agent')
    }
    expect(joined(corrected({ title: 'Sparse attention for LLM agents' })?.title ?? [])).toBe(
      'Sparse attention for LLM agents',
    )
    expect(joined(corrected({ abstract: 'Agents, revised.' })?.abstract ?? [])).toBe(
      'Agents, revised.',
    )
    expect(corrected({ authors: ['Grace Hopper'] })?.authors).toBe('Grace Hopper')
    expect(corrected({ authors: ['Ada Lovelace', 'Grace Hopper'] })?.authors).toBe(
      'Ada Lovelace, Grace Hopper',
    )
    expect(corrected({ url: 'https://example.org/p' })?.url).toBe('https://example.org/p')
  })
})

describe('composeDigest: trending', () => {
  const trending = Array.from({ length: 10 }, (_, i) => paper(`t${i}`, { upvotes: 100 - i }))

  it('adds a Trending group last, without the papers already shown', () => {
    const d = composeDigest({
      items: [item(paper('t3', { upvotes: 97 }), interest('diffusion', 'diffusion'))],
      trending,
    })
    expect(d.total).toBe(10)
    expect(d.groups.map((g) => g.key)).toEqual(['interest:diffusion', 'topic:trending'])
    expect(d.groups[1]?.title).toBe('Trending')
    expect(d.groups[1]?.papers.map((p) => p.id)).toEqual([
      't0',
      't1',
      't2',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
    ])
    // The matched one says it is trending too.
    expect(d.groups[0]?.papers[0]?.why).toEqual(['diffusion', 'Trending'])
  })

  it('keeps five places for trending when matches alone would fill the email', () => {
    const items = Array.from({ length: 40 }, (_, i) => item(paper(`m${i}`), interest('a', 'a')))
    const d = composeDigest({ items, trending })
    expect(shownIds(d)).toHaveLength(25)
    expect(d.groups.map((g) => g.papers.length)).toEqual([20, 5])
    expect(d.overflow).toBe(25)
    expect(d.total).toBe(50)
  })

  it('lets trending fill whatever matches leave free', () => {
    const items = Array.from({ length: 18 }, (_, i) => item(paper(`m${i}`), interest('a', 'a')))
    const d = composeDigest({ items, trending })
    expect(d.groups.map((g) => g.papers.length)).toEqual([18, 7])
  })
})

describe('composeDigest: limit, papers and subject', () => {
  it('puts at most 25 papers in the email and counts the rest as overflow', () => {
    const items = Array.from({ length: 30 }, (_, i) =>
      item(paper(`p${i}`, { upvotes: i }), interest(i % 2 ? 'odd' : 'even', 'x')),
    )
    const d = composeDigest({ items, trending: [] })
    expect(shownIds(d)).toHaveLength(25)
    expect(d.overflow).toBe(5)
    expect(d.total).toBe(30)
    // The best ones stay: the five lowest upvote counts are left out.
    expect(shownIds(d)).not.toContain('p4')
    expect(shownIds(d)).toContain('p5')
    const all = composeDigest({ items, trending: [], limit: Number.POSITIVE_INFINITY })
    expect(shownIds(all)).toHaveLength(30)
    expect(all.overflow).toBe(0)
  })

  it('refuses a limit that is not a whole number', () => {
    expect(() => composeDigest({ items: [], trending: [], limit: -1 })).toThrow(RangeError)
    expect(() => composeDigest({ items: [], trending: [], limit: 2.5 })).toThrow(RangeError)
  })

  it('links to the arXiv page when a paper has no http(s) link of its own', () => {
    const d = composeDigest({
      items: [
        item(paper('2511.01234', { url: null }), interest('a')),
        item(paper('2511.05678', { url: 'javascript:alert(1)' }), interest('a')),
        item(paper('hf-only', { url: null }), interest('a')),
        item(paper('own', { url: 'https://example.org/p?a=1&b=2' }), interest('a')),
      ],
      trending: [],
    })
    const urls = Object.fromEntries(d.groups[0]?.papers.map((p) => [p.id, p.url]) ?? [])
    expect(urls).toEqual({
      '2511.01234': 'https://arxiv.org/abs/2511.01234',
      '2511.05678': 'https://arxiv.org/abs/2511.05678',
      'hf-only': null,
      own: 'https://example.org/p?a=1&b=2',
    })
  })

  it('lists the first five authors, then "et al."', () => {
    const names = ['A One', 'B Two', 'C Three', 'D Four', 'E Five', 'F Six']
    const d = composeDigest({
      items: [
        item(paper('many', { authors: names }), interest('a')),
        item(paper('five', { authors: names.slice(0, 5) }), interest('a')),
        item(paper('none', { authors: [] }), interest('a')),
      ],
      trending: [],
    })
    const authors = Object.fromEntries(d.groups[0]?.papers.map((p) => [p.id, p.authors]) ?? [])
    expect(authors.many).toBe('A One, B Two, C Three, D Four, E Five et al.')
    expect(authors.five).toBe('A One, B Two, C Three, D Four, E Five')
    expect(authors.none).toBe('')
  })

  it('clips absurd titles and shortens abstracts', () => {
    const d = composeDigest({
      items: [
        item(paper('p', { title: 'x'.repeat(5000), abstract: 'word '.repeat(400) }), interest('a')),
      ],
      trending: [],
    })
    const p = d.groups[0]?.papers[0]
    expect(joined(p?.title ?? []).length).toBeLessThanOrEqual(301)
    expect(joined(p?.shortAbstract ?? []).length).toBeLessThanOrEqual(301)
    expect(p?.abstractShortened).toBe(true)
    expect(joined(p?.abstract ?? [])).toBe('word '.repeat(400))
  })

  it('says how many papers and on what', () => {
    const items = [
      ...Array.from({ length: 5 }, (_, i) =>
        item(paper(`d${i}`, { upvotes: 9 }), interest('diffusion', 'diffusion')),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        item(paper(`s${i}`, { upvotes: 5 }), topic('ai-safety', 'AI safety & alignment', 'safety')),
      ),
      item(paper('r', { upvotes: 3 }), interest('rlhf', 'rlhf')),
      item(paper('v', { upvotes: 1 }), interest('video', 'video')),
    ]
    expect(composeDigest({ items, trending: [] }).subject).toBe(
      '10 new papers on diffusion, AI safety & alignment, rlhf and video',
    )
    expect(composeDigest({ items: items.slice(0, 1), trending: [] }).subject).toBe(
      '1 new paper on diffusion',
    )
    const wordy = [
      ...items,
      item(paper('w1'), interest('"large language models" AND (alignment OR oversight) -survey')),
      item(paper('w2'), interest('(diffusion OR flow) AND video AND author:"Yann LeCun"')),
    ]
    const subject = composeDigest({ items: wordy, trending: [] }).subject
    expect(subject).toBe(
      '12 new papers on diffusion, AI safety & alignment, rlhf, video and 2 more',
    )
  })

  it('shortens a single name that is too long for a subject', () => {
    const line = `${'very long interest '.repeat(10)}end`
    const subject = composeDigest({
      items: [item(paper('p'), interest(line)), item(paper('q'), interest('other'))],
      trending: [],
    }).subject
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH)
    expect(subject).toMatch(/^2 new papers on very long interest .*… and 1 more$/)
  })
})

describe('composeDigest: properties', () => {
  const lines = fc.constantFrom('diffusion', 'rlhf', 'video', 'a'.repeat(180), 'x y z')
  const reason = fc.oneof(
    lines.map((l) => interest(l, l)),
    fc.constantFrom(
      topic('ai-safety', 'AI safety & alignment', 'safety'),
      topic('robots', 'Robotics'),
    ),
  )
  const arbPaper = fc
    .record({
      id: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `p${i}`)),
      upvotes: fc.option(fc.integer({ min: 0, max: 500 })),
      day: fc.integer({ min: 1, max: 28 }),
    })
    .map(({ id, upvotes, day }) =>
      paper(id, { upvotes, publishedAt: new Date(Date.UTC(2026, 10, day)) }),
    )
  const inputs = fc.record({
    items: fc.array(
      fc.record({ paper: arbPaper, reasons: fc.array(reason, { minLength: 1, maxLength: 3 }) }),
      { maxLength: 40 },
    ),
    trending: fc.array(arbPaper, { maxLength: 10 }),
    limit: fc.integer({ min: 0, max: 30 }),
  })

  it('shows each paper at most once, min(total, limit) of them, and a short subject', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const d = composeDigest(input)
        const ids = shownIds(d)
        const distinct = new Set([
          ...input.items.map((i) => i.paper.id),
          ...input.trending.map((p) => p.id),
        ])
        expect(new Set(ids).size).toBe(ids.length)
        expect(d.total).toBe(distinct.size)
        expect(ids.length).toBe(Math.min(distinct.size, input.limit))
        expect(d.overflow).toBe(d.total - ids.length)
        expect(d.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH)
        for (const g of d.groups) expect(g.papers.length).toBeGreaterThan(0)
      }),
    )
  })

  it('does not depend on the order of the inputs', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        // Distinct paper records per id, as the database would give.
        const one = new Map<string, DigestPaper>()
        for (const p of [...input.items.map((i) => i.paper), ...input.trending]) {
          if (!one.has(p.id)) one.set(p.id, p)
        }
        const items = input.items.map((i) => ({ ...i, paper: one.get(i.paper.id) as DigestPaper }))
        const trending = input.trending.map((p) => one.get(p.id) as DigestPaper)
        const a = composeDigest({ ...input, items, trending })
        const b = composeDigest({
          ...input,
          items: [...items].reverse().map((i) => ({ ...i, reasons: [...i.reasons].reverse() })),
          trending: [...trending].reverse(),
        })
        expect(b.groups.map((g) => [g.key, g.papers.map((p) => p.id)])).toEqual(
          a.groups.map((g) => [g.key, g.papers.map((p) => p.id)]),
        )
        expect(b.subject).toBe(a.subject)
      }),
    )
  })
})
