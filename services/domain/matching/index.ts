// Matching papers against every active subscriber at once (issue 4): a percolator over the
// distinct interest lines and topics. Pure: no I/O; a worker feeds it lines and papers.

export type { KeyFrequency } from './frequency.js'
export { guessFrequency, sampleFrequency } from './frequency.js'
export type { PercolatorOptions } from './percolator.js'
export { Percolator } from './percolator.js'
export type {
  LineMatch,
  LineMatches,
  PercolatorPaper,
  PercolatorStats,
  QueryMatch,
  TopicMatch,
  TopicReason,
} from './types.js'
