import { loadFixturePapers } from '../test/helpers/fixture-papers.js'
import { between, pick, type Random } from './random.js'

// Synthetic papers of real length whose words, and word pairs, are those of the fixtures
// (/work/shared/fixtures): a bigram chain trained on their titles and abstracts, so key phrases
// such as "reinforcement learning" occur about as often as in real papers.

export interface BenchPaper {
  readonly id: number
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’-]*|[.,;:]/gu
const END = '.'

/** Primary categories as on arXiv's AI/ML listings, most frequent first. */
const CATEGORIES: readonly [string, number][] = [
  ['cs.LG', 30],
  ['cs.CL', 20],
  ['cs.AI', 15],
  ['cs.CV', 15],
  ['stat.ML', 5],
  ['cs.RO', 5],
  ['cs.CR', 4],
  ['cond-mat.str-el', 2],
  ['math.OC', 2],
  ['quant-ph', 2],
]

type Follows = ReadonlyMap<string, readonly string[]>

export interface Corpus {
  readonly fixtures: ReturnType<typeof loadFixturePapers>
  /** Word → the words that follow it anywhere in the fixtures. */
  readonly follows: Follows
  /** The same per fixture paper, so that a generated paper stays on one subject. */
  readonly followsIn: readonly Follows[]
  readonly titleStarts: readonly string[]
  readonly sentenceStarts: readonly string[]
  readonly authors: readonly string[]
}

export function loadCorpus(): Corpus {
  const fixtures = loadFixturePapers()
  const follows = new Map<string, string[]>()
  const titleStarts: string[] = []
  const sentenceStarts: string[] = []
  const learn = (text: string, starts: string[], local: Map<string, string[]>): void => {
    const tokens = text.match(TOKEN) ?? []
    let previous = END
    for (const token of tokens) {
      if (previous === END) starts.push(token)
      for (const map of [follows, local]) {
        const list = map.get(previous.toLowerCase())
        if (list === undefined) map.set(previous.toLowerCase(), [token])
        else list.push(token)
      }
      previous = token
    }
  }
  const followsIn = fixtures.map((paper) => {
    const local = new Map<string, string[]>()
    learn(paper.title.replace(/\s+/g, ' '), titleStarts, local)
    learn(paper.abstract.replace(/\s+/g, ' '), sentenceStarts, local)
    return local
  })
  return {
    fixtures,
    follows,
    followsIn,
    titleStarts,
    sentenceStarts,
    authors: fixtures.flatMap((p) => p.authors),
  }
}

function chain(
  corpus: Corpus,
  random: Random,
  subject: Follows,
  starts: readonly string[],
  words: number,
): string {
  const out: string[] = []
  let current = pick(random, starts)
  let count = 0
  while (count < words) {
    out.push(current)
    if (current !== END && !/^[,;:]$/.test(current)) count++
    const word = current.toLowerCase()
    // Mostly the subject paper's own word pairs, sometimes any fixture's, now and then a jump:
    // on one subject like a real paper, but not a verbatim copy of one.
    const next = (random() < 0.8 ? subject.get(word) : undefined) ?? corpus.follows.get(word)
    current =
      next === undefined || current === END || random() < 0.03
        ? pick(random, starts)
        : pick(random, next)
  }
  return out.join(' ').replace(/ ([.,;:])/g, '$1')
}

function category(random: Random): string {
  const total = CATEGORIES.reduce((sum, [, w]) => sum + w, 0)
  let target = random() * total
  for (const [name, weight] of CATEGORIES) {
    target -= weight
    if (target < 0) return name
  }
  return 'cs.LG'
}

export function generatePapers(corpus: Corpus, random: Random, count: number): BenchPaper[] {
  return Array.from({ length: count }, (_, id) => {
    const subject = pick(random, corpus.followsIn)
    const text = (starts: readonly string[], min: number, max: number) =>
      chain(corpus, random, subject, starts, between(random, min, max))
    return {
      id: id + 1,
      title: text(corpus.titleStarts, 6, 16).replace(/\.$/, ''),
      abstract: text(corpus.sentenceStarts, 120, 260),
      authors: Array.from({ length: between(random, 1, 8) }, () => pick(random, corpus.authors)),
      categories: [
        ...new Set(Array.from({ length: random() < 0.6 ? 1 : 2 }, () => category(random))),
      ],
    }
  })
}
