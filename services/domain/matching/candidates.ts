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
 * verified once with evaluate() alone: most candidates that get this far match, and for
 * those matches() followed by evaluate() would run the AST twice.
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
  const leaves: number[] = []
  const verify = (record: QueryRecord): void => {
    const program = record.program
    if (program === null) {
      const { matched, words } = evaluate(record.ast, paper)
      if (matched) found.push({ record, words })
      return
    }
    leaves.length = 0
    if (!runProgram(program, 0, marks, stamp, leaves)) return
    const wordsOf = (key: number) => keyWords.get(key, stamp, keys, paper)
    if (leaves.length === 1) {
      found.push({ record, words: wordsOf(leaves[0] as number) })
      return
    }
    const words = new Set<string>()
    for (const key of leaves) for (const word of wordsOf(key)) words.add(word)
    found.push({ record, words: [...words] })
  }
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
      verify(records[queryId] as QueryRecord)
    }
  }
  for (const queryId of queries.unindexed) {
    if (seen[queryId] === stamp) continue
    seen[queryId] = stamp
    verify(records[queryId] as QueryRecord)
  }
  return found
}
