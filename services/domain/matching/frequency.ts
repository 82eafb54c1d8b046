import { type AnalyzedPaper, paperKeys } from '../query/index.js'

/**
 * The estimated share of papers (0…1) that have a key. Each alternative of a query is indexed
 * under its rarest key, so the fewer papers have that key, the fewer candidates to verify.
 */
export type KeyFrequency = (key: string) => number

/**
 * A guess from the key's shape alone, used when no sample of papers is given and to break
 * ties between keys a sample saw equally often. Short words are the common ones ("of", "a",
 * "model"), long ones the distinctive ("jailbreak", "superfluidity"); a prefix is as common
 * as all the words it starts; authors are rare, categories and category groups very common.
 */
export function guessFrequency(key: string): number {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon)
  const length = [...key.slice(colon + 1)].length
  const byLength = 1 / (1 + length)
  switch (kind) {
    case 'word':
    case 'exact':
      return 0.9 * byLength
    case 'phrase':
    case 'exact-phrase':
      // A run of words is much rarer than any of its words.
      return 0.1 * byLength
    case 'prefix':
      return Math.min(1, 2 * byLength)
    case 'author':
      return 0.01 * byLength
    case 'author-prefix':
      return 0.05 * byLength
    case 'category':
      return 0.5
    case 'category-prefix':
      return 0.9
    default:
      return 1
  }
}

/**
 * Document frequencies measured on a sample of papers (a worker would use the last few
 * thousand it ingested), smoothed towards the guess: a key the sample never saw is rare but
 * not free, and keys seen equally often are ordered by the guess.
 */
export function sampleFrequency(papers: readonly AnalyzedPaper[]): KeyFrequency {
  const counts = new Map<string, number>()
  for (const paper of papers) {
    for (const key of paperKeys(paper)) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const n = papers.length
  return (key) => ((counts.get(key) ?? 0) + guessFrequency(key)) / (n + 1)
}
