import type { BenchPaper } from '../corpus.js'

// The obvious implementation this issue replaces: for each paper, for each subscriber, for
// each of its lines, run a regular expression built from the line. The translation is the
// naive one (brackets dropped, ORs split first, consecutive words as a phrase, an optional
// plural "s"); it is here to be timed, not to be right.

type Test = (paper: BenchPaper) => boolean

export interface NaiveSubscriber {
  readonly id: number
  readonly lines: readonly { readonly line: string; readonly test: Test }[]
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const TERM = /(-|NOT\s+)?(title:|abstract:|author:|category:)?("[^"]*"|[^\s"]+)/g

function wordsPattern(words: readonly string[]): RegExp {
  const parts = words.map((w) =>
    w.endsWith('*') ? `${escapeRegExp(w.slice(0, -1))}\\w*` : `${escapeRegExp(w)}s?`,
  )
  return new RegExp(`\\b${parts.join('[\\s-]+')}\\b`, 'i')
}

function fieldText(paper: BenchPaper, field: string): string {
  if (field === 'title:') return paper.title
  if (field === 'abstract:') return paper.abstract
  if (field === 'author:') return paper.authors.join('; ')
  return `${paper.title}\n${paper.abstract}`
}

function compileConjunct(text: string): Test[] {
  const tests: Test[] = []
  let phrase: string[] = []
  const flush = (): void => {
    if (phrase.length === 0) return
    const pattern = wordsPattern(phrase)
    tests.push((p) => pattern.test(fieldText(p, '')))
    phrase = []
  }
  for (const [, negation, field = '', value = ''] of text.matchAll(TERM)) {
    if (negation === undefined && field === '' && !value.startsWith('"')) {
      phrase.push(value)
      continue
    }
    flush()
    let test: Test
    if (field === 'category:') {
      const wanted = value.toLowerCase()
      test = wanted.endsWith('*')
        ? (p) => p.categories.some((c) => c.toLowerCase().startsWith(wanted.slice(0, -1)))
        : (p) => p.categories.some((c) => c.toLowerCase() === wanted)
    } else {
      const pattern = wordsPattern(value.replace(/"/g, '').split(/[\s-]+/))
      test = (p) => pattern.test(fieldText(p, field))
    }
    tests.push(negation === undefined ? test : (p) => !test(p))
  }
  flush()
  return tests
}

export function compileNaive(line: string): Test {
  const branches = line
    .replace(/[()]/g, ' ')
    .split(/\s+OR\s+/)
    .map((branch) => branch.split(/\s+AND\s+/).flatMap(compileConjunct))
  return (paper) => branches.some((tests) => tests.every((t) => t(paper)))
}

/** Matches every paper against every subscriber; returns (subscriber, paper) matches made. */
export function regexLoop(
  subscribers: readonly NaiveSubscriber[],
  papers: readonly BenchPaper[],
): number {
  let matches = 0
  for (const paper of papers) {
    for (const subscriber of subscribers) {
      const reasons = subscriber.lines.filter((l) => l.test(paper)).map((l) => l.line)
      if (reasons.length > 0) matches++
    }
  }
  return matches
}
