// Matching papers against every active subscriber at once (issue 4): a percolator over the
// interest query language. Pure: no I/O; a worker feeds it subscribers and papers.

export type { KeyFrequency } from './frequency.js'
export { guessFrequency, sampleFrequency } from './frequency.js'
export type { PercolatorOptions } from './percolator.js'
export { Percolator } from './percolator.js'
export type {
  InterestRef,
  InterestSource,
  LineMatch,
  LineMatches,
  MatchReason,
  PaperMatch,
  PercolatorPaper,
  PercolatorStats,
  QueryMatch,
  TopicMatch,
} from './types.js'
