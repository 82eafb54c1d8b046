import { describe, expect, it } from 'vitest'
import type { SourceName } from '../../../services/domain/papers/incoming.js'
import { detectFormat, parseAny, parsers } from '../../../services/sources/detect.js'
import { UnreadableInputError } from '../../../services/sources/types.js'
import { readFixture, readFixtureBytes } from '../../helpers/fixtures.js'

describe('parseAny detects the format from the content', () => {
  it.each<[string, SourceName, number, number]>([
    ['hf-daily-papers-2026-06-12.json', 'hf-daily', 30, 0],
    ['arxiv-api-query.atom.xml', 'arxiv', 5, 0],
    ['arxiv-api-query-legacy-2016.atom.xml', 'arxiv', 10, 0],
    ['arxiv-rss-cs.AI.xml', 'arxiv-rss', 3, 0],
    ['arxiv-rss-cs.LG.xml', 'arxiv-rss', 3, 0],
    ['arxiv-rss-cs.CL.xml', 'arxiv-rss', 3, 0],
    ['seed-papers.json', 'json', 0, 36],
  ])('%s is %s (%i papers, %i rejected)', (file, format, papers, rejected) => {
    const bytes = readFixtureBytes(file)
    expect(detectFormat(bytes)).toBe(format)
    const outcome = parseAny(bytes)
    expect(outcome.format).toBe(format)
    expect(outcome.papers).toHaveLength(papers)
    expect(outcome.rejected).toHaveLength(rejected)
    // The same result as calling that format's parser directly.
    expect(outcome).toEqual(parsers[format](bytes))
  })

  it('ignores leading whitespace and a BOM', () => {
    expect(parseAny(`\ufeff\n  ${readFixture('arxiv-rss-cs.CL.xml')}`).papers).toHaveLength(3)
  })

  it('reads a UTF-16 body by its BOM', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(readFixture('arxiv-rss-cs.AI.xml'), 'utf16le'),
    ])
    expect(parseAny(utf16).papers.map((p) => p.id)).toEqual([
      '2604.21935',
      '2604.21936',
      '2604.21937',
    ])
  })

  it('skips comments and a DOCTYPE before the root', () => {
    const xml = readFixture('arxiv-api-query.atom.xml').replace(
      '<feed',
      '<!-- saved by hand --><!DOCTYPE feed>\n<feed',
    )
    expect(detectFormat(xml)).toBe('arxiv')
  })

  it('finds the root quickly even behind a huge or unterminated prolog', () => {
    const started = performance.now()
    expect(() => detectFormat(`${' '.repeat(60_000)}<!-- never closed`)).toThrow(
      'no XML root element',
    )
    expect(() => detectFormat('<?xml version="1.0"')).toThrow('no XML root element')
    expect(() => detectFormat('<!DOCTYPE x [ <!ENTITY a "b">')).toThrow('no XML root element')
    // A regex sniffer took 17 s on 28 leading spaces before this.
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('takes an empty JSON array as a day without HF papers', () => {
    expect(parseAny('[]')).toEqual({ format: 'hf-daily', papers: [], rejected: [] })
  })

  it.each([
    ['', 'body is empty'],
    ['   \n', 'body is empty'],
    ['id,title\n1,x', 'body is neither JSON nor XML'],
    ['<!DOCTYPE html><html><body>Rate limited</body></html>', 'HTML page, not a feed'],
    ['<rdf:RDF xmlns:rdf="x"><item/></rdf:RDF>', 'RSS 1.0 (RDF) feeds are not supported'],
    ['<urlset><url/></urlset>', 'unknown XML format <urlset>'],
    ['{"items": []}', 'unknown JSON format'],
    ['{"error": "Invalid date"}', 'JSON error response, not papers: Invalid date'],
    ['[1, 2, 3]', 'not a Hugging Face daily-papers response'],
    ['"just a string"', 'unknown JSON format'],
    ['{"papers": 3}', 'unknown JSON format'],
  ])('rejects %j: %s', (body, message) => {
    expect(() => parseAny(body)).toThrow(UnreadableInputError)
    expect(() => parseAny(body)).toThrow(message)
  })
})

describe('each parser refuses the other formats', () => {
  it.each([
    ['hf-daily', 'seed-papers.json', 'expected a JSON array of {"paper": ...} items'],
    ['json', 'hf-daily-papers-2026-06-12.json', 'expected a JSON object with a "papers" array'],
    ['arxiv', 'arxiv-rss-cs.LG.xml', 'expected <feed> (arXiv API Atom feed), found <rss>'],
    ['arxiv-rss', 'arxiv-api-query.atom.xml', 'expected <rss> (arXiv RSS feed), found <feed>'],
    ['arxiv', 'hf-daily-papers-2026-06-12.json', 'malformed XML'],
    ['json', 'arxiv-api-query.atom.xml', 'malformed JSON'],
  ] as const)('%s parser on %s', (format, file, message) => {
    expect(() => parsers[format](readFixtureBytes(file))).toThrow(message)
  })
})
