import { type AnalyzedPaper, evaluate } from '../query/index.js'
import type { IntColumn } from './columns.js'
import type { KeyWordsCache } from './key-words.js'
import type { KeyIndex } from './keys.js'
import { runProgram } from './programs.js'
import type { QueryRecord, QueryTable } from './queries.js'

export interface MatchedQuery {
  readonly record: QueryRecord
  /** What matched, shared by every reason this query gives for this paper. */
  readonly words: string[]
}

/**
 * The distinct queries a paper matches. The paper stamps its keys; each posting entry of a
 * stamped key is a candidate alternative, kept when its other keys are stamped too (read
 * from the entry itself, in order, without touching the query's record); each query is then
 * verified once, by its key program or, for a query keys cannot decide, by evaluate() on its
 * AST, which gives the matched words in the same pass.
 */
export function matchingQueries(
  keys: KeyIndex,
  queries: QueryTable,
  seenColumn: IntColumn,
  paper: AnalyzedPaper,
  stamp: number,
  keyWords: KeyWordsCache,
): MatchedQuery[] {
  const present: number[] = []
  keys.markPaper(paper, stamp, present)
  seenColumn.ensure(queries.queryCapacity)
  const seen = seenColumn.data
  const marks = keys.stamp.data
  const records = queries.records
  const postings = keys.postings
  const found: MatchedQuery[] = []
  const check: Check = { paper, marks, stamp, keys, keyWords, leaves: [] }
  for (const key of present) {
    const posting = postings[key]
    if (posting === undefined) continue
    for (let i = 0; i < posting.length; ) {
      const queryId = posting[i] as number
      let k = i + 2
      const end = k + (posting[i + 1] as number)
      i = end
      while (k < end && marks[posting[k] as number] === stamp) k++
      if (k < end || seen[queryId] === stamp) continue
      seen[queryId] = stamp
      const record = records[queryId] as QueryRecord
      const words = verify(record, check)
      if (words !== null) found.push({ record, words })
    }
  }
  for (const queryId of queries.unindexed) {
    if (seen[queryId] === stamp) continue
    seen[queryId] = stamp
    const record = records[queryId] as QueryRecord
    const words = verify(record, check)
    if (words !== null) found.push({ record, words })
  }
  return found
}

/** What verifying a candidate against the paper needs. */
interface Check {
  readonly paper: AnalyzedPaper
  readonly marks: Int32Array
  readonly stamp: number
  readonly keys: KeyIndex
  readonly keyWords: KeyWordsCache
  /** Scratch: the leaves of a key program that count towards its match. */
  readonly leaves: number[]
}

/** The words a candidate query matched in the paper, or null when it does not match. */
function verify(record: QueryRecord, check: Check): string[] | null {
  const program = record.program
  if (program === null) {
    const { matched, words } = evaluate(record.ast, check.paper)
    return matched ? words : null
  }
  const leaves = check.leaves
  leaves.length = 0
  if (!runProgram(program, 0, check.marks, check.stamp, leaves)) return null
  if (leaves.length === 1) return wordsOf(leaves[0] as number, check)
  const words = new Set<string>()
  for (const key of leaves) for (const word of wordsOf(key, check)) words.add(word)
  return [...words]
}

const wordsOf = (key: number, check: Check): string[] =>
  check.keyWords.get(key, check.stamp, check.keys, check.paper)
