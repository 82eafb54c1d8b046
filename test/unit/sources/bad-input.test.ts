import { describe, expect, it } from 'vitest'
import { parseArxivAtom } from '../../../services/sources/arxiv-atom.js'
import { parseArxivRss } from '../../../services/sources/arxiv-rss.js'
import { MAX_BODY_BYTES } from '../../../services/sources/body.js'
import { parseAny } from '../../../services/sources/detect.js'
import { parseHfDaily } from '../../../services/sources/hf-daily.js'
import { parsePaperboyJson } from '../../../services/sources/paperboy-json.js'
import { UnreadableInputError } from '../../../services/sources/types.js'
import { readFixture } from '../../helpers/fixtures.js'

type HfItem = { paper: Record<string, unknown> } & Record<string, unknown>
const hfItems = () => JSON.parse(readFixture('hf-daily-papers-2026-06-12.json')) as HfItem[]
const atom = readFixture('arxiv-api-query.atom.xml')
const rss = readFixture('arxiv-rss-cs.AI.xml')
const ONE_MB_ABSTRACT = 'Lorem ipsum dolor sit amet. '.repeat(37_450) // 1,048,600 characters

describe('whole body unusable', () => {
  it('malformed XML names the line and column', () => {
    const cut = atom.slice(0, atom.indexOf('</entry>') + 3)
    expect(() => parseAny(cut)).toThrow(UnreadableInputError)
    expect(() => parseArxivAtom(cut)).toThrow(/^malformed XML at line \d+, column \d+: /)
    expect(() => parseArxivRss(rss.replace('</channel>', ''))).toThrow(/^malformed XML/)
  })

  it('an unescaped ampersand is malformed XML', () => {
    expect(() => parseArxivAtom('<feed><title>a & b</title></feed>')).toThrow(
      /malformed XML at line 1/,
    )
  })

  it('malformed JSON is reported as such', () => {
    const hf = readFixture('hf-daily-papers-2026-06-12.json')
    expect(() => parseAny(hf.slice(0, 5000))).toThrow(/^malformed JSON: /)
    expect(() => parsePaperboyJson('{"papers": [,]}')).toThrow(UnreadableInputError)
  })

  it('a body over 50 MB is refused before parsing', () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20)
    expect(() => parseAny(big)).toThrow(
      `body is ${MAX_BODY_BYTES + 1} bytes, limit is ${MAX_BODY_BYTES} bytes (50 MB)`,
    )
    // 2-byte characters: short enough in UTF-16 units, too big in bytes.
    const wide = 'é'.repeat(MAX_BODY_BYTES / 2 + 1)
    expect(() => parseAny(wide)).toThrow(UnreadableInputError)
    expect(() => parseHfDaily(' '.repeat(MAX_BODY_BYTES + 1))).toThrow(/limit is 52428800 bytes/)
  })

  it('does not expand DOCTYPE entities (billion laughs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<feed><entry><id>http://arxiv.org/abs/2601.00001v1</id><title>&c;&c;&c;</title><summary>S</summary></entry></feed>`
    const outcome = parseArxivAtom(bomb)
    expect(outcome.papers[0]?.title).toBe('&c;&c;&c;')
  })
})

describe('items rejected, the rest kept', () => {
  it('missing required fields in every format', () => {
    const items = hfItems()
    delete items[3]?.paper.summary
    delete items[3]?.summary
    ;(items[4] as Record<string, unknown>).paper = null
    const hf = parseHfDaily(JSON.stringify(items))
    expect(hf.papers).toHaveLength(28)
    expect(hf.rejected).toEqual([
      { index: 3, id: '2606.13174', reason: 'missing abstract' },
      { index: 4, reason: 'item has no "paper" object' },
    ])

    const noSummary = atom.replace(/<summary>[\s\S]*?<\/summary>/, '')
    expect(parseArxivAtom(noSummary).rejected).toEqual([
      { index: 0, id: '2606.13677', reason: 'missing abstract' },
    ])
    const noId = atom.replace('<id>http://arxiv.org/abs/2606.13591v1</id>', '')
    expect(parseArxivAtom(noId).rejected).toEqual([{ index: 1, reason: 'missing id' }])

    const noTitle = rss.replace(/<title>Math Takes Two[^<]*<\/title>/, '')
    const outcome = parseArxivRss(noTitle)
    expect(outcome.papers).toHaveLength(2)
    expect(outcome.rejected).toEqual([{ index: 0, id: '2604.21935', reason: 'missing title' }])
  })

  it('a 1 MB abstract, in JSON and in XML', () => {
    const items = hfItems()
    if (items[5]) items[5].paper.summary = ONE_MB_ABSTRACT
    const hf = parseHfDaily(JSON.stringify(items))
    expect(hf.papers).toHaveLength(29)
    expect(hf.rejected).toEqual([
      { index: 5, id: '2606.07867', reason: 'abstract is 1048600 characters, limit is 20000' },
    ])

    const xml = atom.replace(
      /<summary>[\s\S]*?<\/summary>/,
      `<summary>${ONE_MB_ABSTRACT}</summary>`,
    )
    expect(parseArxivAtom(xml).rejected).toEqual([
      { index: 0, id: '2606.13677', reason: 'abstract is 1048600 characters, limit is 20000' },
    ])
  })

  it('a title over 1,000 characters is rejected, not truncated', () => {
    const long = 'T'.repeat(1001)
    const outcome = parsePaperboyJson(
      JSON.stringify({ papers: [{ id: 'x-1', title: long, abstract: 'A' }] }),
    )
    expect(outcome.rejected).toEqual([
      { index: 0, id: 'x-1', reason: 'title is 1001 characters, limit is 1000' },
    ])
  })

  it('duplicate ids keep the first and name it', () => {
    const items = hfItems()
    const first = items[0]
    if (first) items.push(first, { ...first, paper: { ...first.paper, id: 'arXiv:2606.00467v2' } })
    const hf = parseHfDaily(JSON.stringify(items))
    expect(hf.papers).toHaveLength(30)
    expect(hf.rejected).toEqual([
      { index: 30, id: '2606.00467', reason: 'duplicate id 2606.00467 (also at index 0)' },
      { index: 31, id: '2606.00467', reason: 'duplicate id 2606.00467 (also at index 0)' },
    ])

    const entry = /<entry>[\s\S]*?<\/entry>/.exec(atom)?.[0] ?? ''
    const twice = atom.replace(
      '</feed>',
      `${entry.replace('2606.13677v1</id>', '2606.13677v2</id>')}</feed>`,
    )
    expect(parseArxivAtom(twice).rejected).toEqual([
      { index: 5, id: '2606.13677', reason: 'duplicate id 2606.13677 (also at index 0)' },
    ])
  })

  it('invalid dates', () => {
    const items = hfItems()
    if (items[2]) items[2].paper.publishedAt = '2026-06-31T00:00:00.000Z'
    expect(parseHfDaily(JSON.stringify(items)).rejected).toEqual([
      {
        index: 2,
        id: '2606.13594',
        reason: 'publishedAt is not a valid date: "2026-06-31T00:00:00.000Z"',
      },
    ])
    const badPub = rss.replace(
      '<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>\n      <arxiv:announce_type>',
      '<pubDate>someday</pubDate>\n      <arxiv:announce_type>',
    )
    expect(parseArxivRss(badPub).rejected).toEqual([
      { index: 0, id: '2604.21935', reason: 'publishedAt is not a valid date: "someday"' },
    ])
    expect(
      parseArxivAtom(
        atom.replace('<updated>2026-06-11T16:56:47Z</updated>', '<updated>11/06/2026</updated>'),
      ).rejected,
    ).toEqual([
      { index: 2, id: '2606.13568', reason: 'updatedAt is not a valid date: "11/06/2026"' },
    ])
  })

  it('control characters: garbage rejected, a stray one removed', () => {
    const outcome = parsePaperboyJson(
      JSON.stringify({
        papers: [
          { id: 'x-1', title: '\u0000\u0001\u0002\u0003\ufffd\ufffd ok', abstract: 'A' },
          {
            id: 'x-2',
            title: 'A fine\u0007 paper title\u0000',
            abstract: 'Line one\r\nline two\u001b[31m',
          },
          { id: 'x-3\u0000', title: 'T', abstract: 'A' },
        ],
      }),
    )
    expect(outcome.papers).toEqual([
      expect.objectContaining({
        id: 'x-2',
        title: 'A fine paper title',
        abstract: 'Line one line two[31m',
      }),
    ])
    expect(outcome.rejected).toEqual([
      {
        index: 0,
        id: 'x-1',
        reason: 'title looks like binary data (6 of 9 characters are control characters)',
      },
      {
        index: 2,
        reason:
          'invalid id "x-3\\u0000": id contains whitespace, control or non-printable characters',
      },
    ])
  })
})
