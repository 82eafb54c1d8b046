import { XMLParser } from 'fast-xml-parser'
import { readFixture } from './fixtures.js'

// Real papers from the shared fixtures (see SOURCES.md there), reduced to what matching
// reads: the unit tests of matching and the benchmarks' corpus both start from them.

export interface FixturePaper {
  /** `seed#<index>` for seed-papers.json (it has no ids), else the arXiv id without version. */
  readonly key: string
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
}

interface SeedFile {
  papers: { title: string; abstract: string }[]
}

interface HfEntry {
  paper: { id: string; title: string; summary: string; authors: { name: string }[] }
}

function seedPapers(): FixturePaper[] {
  const file = JSON.parse(readFixture('seed-papers.json')) as SeedFile
  return file.papers.map((p, i) => ({
    key: `seed#${i}`,
    title: p.title,
    abstract: p.abstract,
    authors: [],
    categories: [],
  }))
}

function hfPapers(): FixturePaper[] {
  const entries = JSON.parse(readFixture('hf-daily-papers-2026-06-12.json')) as HfEntry[]
  return entries.map(({ paper }) => ({
    key: paper.id,
    title: paper.title,
    abstract: paper.summary,
    authors: paper.authors.map((a) => a.name),
    categories: [],
  }))
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

interface AtomEntry {
  id: string
  title: string
  summary: string
  author: { name: string } | { name: string }[]
  category: { '@_term': string } | { '@_term': string }[]
}

function atomPapers(name: string): FixturePaper[] {
  const parser = new XMLParser({ ignoreAttributes: false })
  const feed = parser.parse(readFixture(name)) as { feed: { entry: AtomEntry | AtomEntry[] } }
  return asArray(feed.feed.entry).map((e) => ({
    key: String(e.id)
      .replace(/^https?:\/\/arxiv\.org\/abs\//, '')
      .replace(/v\d+$/, ''),
    title: String(e.title),
    abstract: String(e.summary),
    authors: asArray(e.author).map((a) => String(a.name)),
    categories: asArray(e.category).map((c) => c['@_term']),
  }))
}

export function loadFixturePapers(): FixturePaper[] {
  return [
    ...seedPapers(),
    ...hfPapers(),
    ...atomPapers('arxiv-api-query.atom.xml'),
    ...atomPapers('arxiv-api-query-legacy-2016.atom.xml'),
  ]
}
