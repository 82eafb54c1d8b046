// Matching papers against every active subscriber at once (issue 4): a percolator over the
// interest query language. Pure: no I/O; a worker feeds it subscribers and papers.

export type { InterestMatches } from './fan-out.js'
export type { KeyFrequency } from './frequency.js'
export { guessFrequency, sampleFrequency } from './frequency.js'
export type { PercolatorOptions } from './percolator.js'
export { Percolator } from './percolator.js'
export type {
  GroupedMatches,
  InterestRef,
  InterestSource,
  MatchReason,
  PaperMatch,
  PercolatorPaper,
  PercolatorStats,
  QueryMatch,
  TopicMatch,
} from './types.js'
