// The interest query language (`"large language models" AND safety`, `unlearn*`,
// `category:cs.LG`): parse a subscriber's line, print it canonically, match it against
// papers, and list what it requires for indexing. Pure: no I/O.

export type { AnalyzedAuthor, AnalyzedPaper, AnalyzedText, PaperFields } from './analyze.js'
export { analyzePaper } from './analyze.js'
export type {
  AndNode,
  CategoryNode,
  ExactNode,
  FieldNode,
  NotNode,
  OrNode,
  PhraseNode,
  PhraseWord,
  PrefixNode,
  Query,
  TermNode,
  TextField,
} from './ast.js'
export type { QueryError } from './errors.js'
export type { Evaluation } from './evaluate.js'
export { evaluate, matches, prefixPositions } from './evaluate.js'
export { forEachPhrase, paperKeys, requiredTermSets } from './index-keys.js'
export type { Token } from './normalize.js'
export { normalizeWords, tokenize } from './normalize.js'
export type { ParseResult } from './parser.js'
export { MAX_INTEREST_LENGTH, parseInterest, parseQuery } from './parser.js'
export { printQuery } from './print.js'
export { requiresSomething } from './requires-something.js'
