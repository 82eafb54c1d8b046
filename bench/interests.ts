import { normalizeWords } from '../services/domain/query/index.js'
import { SEED_TOPICS } from '../services/domain/seed-topics.js'
import type { BenchPaper, Corpus } from './corpus.js'
import { between, pick, type Random, zipf } from './random.js'

// Subscribers' interest lines, drawn from the fixtures' vocabulary: the words and word pairs
// and triples that recur in real titles and abstracts, as key phrases, quoted phrases,
// boolean lines, prefixes and field filters. Subscribers pick lines from a pool, Zipf-
// distributed: a few lines are written by very many subscribers, most by few.

const STOPWORDS = new Set(
  `a an and are as at be but by can do does for from has have how in into is it its more
  most new not of on or our over show such than that the their these this those through to
  two under up use used uses using via was we were what when where which while who will with
  without both also based results propose proposed approach method methods paper work across
  each other first however only one may between existing further given well`.split(/\s+/),
)

const TEMPLATES: readonly [weight: number, kind: string][] = [
  [34, 'phrase'],
  [12, 'word'],
  [8, 'quoted'],
  [10, 'and'],
  [8, 'or'],
  [6, 'not'],
  [7, 'prefix'],
  [5, 'title'],
  [4, 'category-and'],
  [3, 'author'],
  [2, 'group'],
  [1, 'category'],
]

const CATEGORY_LINES = ['cs.LG', 'cs.CL', 'cs.AI', 'cs.CV', 'stat.ML', 'cs.RO', 'cs.CR', 'cs.*']

/** Topics (without the computed `trending`) and how many subscribers follow each, relatively. */
export const TOPICS = SEED_TOPICS.filter((t) => t.builtIn !== true)
const TOPIC_WEIGHTS = [30, 25, 25, 15, 15, 8, 10, 8]

/**
 * The share of papers a line's concept may appear in. Real interests are specific (a digest
 * of 20–40 papers a day out of ~1,000); papers drawn from the small vocabulary of the
 * fixtures would otherwise contain nearly every word an interest could name.
 */
const MAX_SHARE = 0.005

export interface InterestGenerator {
  /** Distinct lines in the pool subscribers draw from. */
  readonly poolSize: number
  /** Lines for one subscriber. */
  lines(count: number): string[]
  /** Topic slugs one subscriber follows (most follow 1–3). */
  topics(): string[]
}

export interface GeneratorOptions {
  /** Papers like those that will be matched, to keep only selective concepts. */
  readonly probe: readonly BenchPaper[]
  /** Lines drawn for the pool subscribers choose from (some repeat). */
  readonly poolSize: number
}

interface Vocabulary {
  words: string[]
  phrases: string[]
  surnames: string[]
}

/** Words and recurring 2–3 word phrases of the fixtures, most frequent first. */
function vocabulary(corpus: Corpus): Vocabulary {
  const words = new Map<string, number>()
  const phrases = new Map<string, number>()
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  for (const paper of corpus.fixtures) {
    for (const sentence of `${paper.title}. ${paper.abstract}`.toLowerCase().split(/[.,;:()]/)) {
      const tokens = sentence.match(/[\p{L}][\p{L}\p{N}-]*/gu) ?? []
      tokens.forEach((token, i) => {
        if (STOPWORDS.has(token) || token.length < 3) return
        count(words, token)
        for (const n of [2, 3]) {
          const gram = tokens.slice(i, i + n)
          const last = gram[gram.length - 1]
          if (gram.length < n || last === undefined || STOPWORDS.has(last) || last.length < 2) {
            continue
          }
          count(phrases, gram.join(' '))
        }
      })
    }
  }
  const ranked = (map: Map<string, number>, minimum: number) =>
    [...map]
      .filter(([, n]) => n >= minimum)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k]) => k)
  // The topics' own key phrases are written by subscribers too.
  const topicPhrases = TOPICS.flatMap((t) => t.interests.filter((l) => /^[\w -]+$/.test(l)))
  // Phrases seen once are kept when they are all content words ("policy gradient estimator"),
  // not when they are accidents of wording ("training has non-monotonic").
  const content = (p: string) => p.split(' ').every((w) => !STOPWORDS.has(w) && w.length > 2)
  return {
    words: ranked(words, 1).filter((w) => w.length >= 5),
    phrases: [...new Set([...ranked(phrases, 1).filter(content), ...topicPhrases])],
    surnames: [...new Set(corpus.authors.map((a) => a.split(/\s+/).pop() ?? ''))].filter(
      (s) => s.length > 2,
    ),
  }
}

/** How many probe papers have a word n-gram, a word starting with a prefix, an author name. */
class Probe {
  private readonly grams = new Map<string, number>()
  private readonly surnames = new Map<string, number>()
  private readonly vocabularies: string[][]
  readonly limit: number

  constructor(papers: readonly BenchPaper[], share: number) {
    this.limit = share * papers.length
    this.vocabularies = papers.map((paper) => {
      const words = normalizeWords(`${paper.title}\n${paper.abstract}`)
      const seen = new Set<string>()
      words.forEach((_, i) => {
        for (let n = 1; n <= 6 && i + n <= words.length; n++)
          seen.add(words.slice(i, i + n).join(' '))
      })
      for (const gram of seen) this.grams.set(gram, (this.grams.get(gram) ?? 0) + 1)
      const names = new Set(paper.authors.flatMap((a) => normalizeWords(a)))
      for (const name of names) this.surnames.set(name, (this.surnames.get(name) ?? 0) + 1)
      return [...new Set(words)]
    })
  }

  rare(concept: string): boolean {
    return (this.grams.get(normalizeWords(concept).join(' ')) ?? 0) <= this.limit
  }

  rarePrefix(prefix: string): boolean {
    const having = this.vocabularies.filter((words) => words.some((w) => w.startsWith(prefix)))
    return having.length <= this.limit
  }

  /** Authors are drawn from the few hundred of the fixtures, so each is in ~1% of papers. */
  rareAuthor(surname: string): boolean {
    return (this.surnames.get(normalizeWords(surname).join(' ')) ?? 0) <= 3 * this.limit
  }
}

export function interestGenerator(
  corpus: Corpus,
  random: Random,
  options: GeneratorOptions,
): InterestGenerator {
  const all = vocabulary(corpus)
  const probe = new Probe(options.probe, MAX_SHARE)
  const words = all.words.filter((w) => probe.rare(w))
  const phrases = all.phrases.filter((p) => probe.rare(p))
  const prefixes = words
    .filter((w) => w.length >= 7 && !w.includes('-'))
    .map((w) => w.slice(0, Math.max(5, w.length - 3)))
    .filter((p) => probe.rarePrefix(p))
  const surnames = all.surnames.filter((s) => probe.rareAuthor(s))
  const word = zipf(random, words.length, 0.6)
  const phrase = zipf(random, phrases.length, 0.6)
  const prefix = zipf(random, prefixes.length, 0.6)
  const anyWord = (): string => words[word()] as string
  const anyPhrase = (): string => phrases[phrase()] as string
  const concept = (): string => (random() < 0.6 ? anyPhrase() : anyWord())
  const total = TEMPLATES.reduce((sum, [w]) => sum + w, 0)

  const line = (): string => {
    let target = random() * total
    const kind = TEMPLATES.find(([w]) => {
      target -= w
      return target < 0
    })?.[1]
    switch (kind) {
      case 'word':
        return anyWord()
      case 'quoted':
        return `"${anyPhrase()}"`
      case 'and':
        return `${concept()} AND ${concept()}`
      case 'or':
        return `${concept()} OR ${concept()}`
      case 'not':
        return `${concept()} -${anyWord()}`
      case 'prefix':
        return `${prefixes[prefix()]}*`
      case 'title':
        return random() < 0.5 ? `title:${anyWord()}` : `title:"${anyPhrase()}"`
      case 'category-and':
        return `category:${pick(random, CATEGORY_LINES)} AND ${concept()}`
      case 'author':
        return `author:${pick(random, surnames)}`
      case 'group':
        return `(${concept()} OR ${concept()}) AND ${concept()}`
      case 'category':
        return `category:${pick(random, CATEGORY_LINES.slice(0, 7))}`
      default:
        return anyPhrase()
    }
  }

  const topicTotal = TOPIC_WEIGHTS.reduce((a, b) => a + b, 0)
  const topic = (): string => {
    let target = random() * topicTotal
    const index = TOPIC_WEIGHTS.findIndex((w) => {
      target -= w
      return target < 0
    })
    return (TOPICS[index] ?? TOPICS[0])?.slug as string
  }
  const pool = Array.from({ length: options.poolSize }, line)
  const popular = zipf(random, pool.length, 0.9)
  return {
    poolSize: new Set(pool).size,
    lines: (count) => Array.from({ length: count }, () => pool[popular()] as string),
    topics: () => {
      if (random() < 0.2) return []
      const slugs = new Set<string>()
      const want = between(random, 1, 3)
      while (slugs.size < want) slugs.add(topic())
      return [...slugs]
    },
  }
}
