import { type AnalyzedPaper, evaluate, type Query } from '../query/index.js'
import type { KeyWordsCache } from './key-words.js'
import type { KeyIndex } from './keys.js'
import { MAYBE, NO, runProgram } from './programs.js'
import { PROGRAM, QUERY_STRIDE, type QueryTable, VERIFIED } from './queries.js'

/**
 * The queries a paper matched, as two columns reused from paper to paper rather than an
 * object per match: a million matches per thousand papers.
 */
export class MatchedQueries {
  readonly ids: number[] = []
  /** Per matched query, what it matched; shared by every line of the query. */
  readonly words: string[][] = []

  clear(): void {
    this.ids.length = 0
    this.words.length = 0
  }
}

/**
 * Fills `found` with the distinct queries a paper matches. The paper stamps its keys; each
 * posting entry of a stamped key is a candidate alternative, kept when its other keys are
 * stamped too (read from the entry itself, in order, without touching the query's record);
 * each query is then verified once, by its key program or, when keys cannot decide it (no
 * program, or a program whose checks all found their keys), by evaluate() on its AST, which
 * gives the matched words in the same pass.
 */
export function matchingQueries(
  keys: KeyIndex,
  queries: QueryTable,
  paper: AnalyzedPaper,
  stamp: number,
  keyWords: KeyWordsCache,
  found: MatchedQueries,
): void {
  found.clear()
  const present: number[] = []
  keys.markPaper(paper, stamp, present)
  const marks = keys.stamp.data
  const perQuery = queries.perQuery.data
  const postings = keys.postings
  const check: Check = {
    paper,
    marks,
    stamp,
    keys,
    keyWords,
    code: queries.programs.code,
    leaves: [],
  }
  const verify = (queryId: number): void => {
    const start = perQuery[queryId * QUERY_STRIDE + PROGRAM] as number
    let words = start >= 0 ? programWords(start, check) : undefined
    if (words === undefined) words = astWords(queries.records[queryId]?.ast as Query, check)
    if (words === null) return
    found.ids.push(queryId)
    found.words.push(words)
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
      const verified = queryId * QUERY_STRIDE + VERIFIED
      if (k < end || perQuery[verified] === stamp) continue
      perQuery[verified] = stamp
      verify(queryId)
    }
  }
  for (const queryId of queries.unindexed) {
    const verified = queryId * QUERY_STRIDE + VERIFIED
    if (perQuery[verified] === stamp) continue
    perQuery[verified] = stamp
    verify(queryId)
  }
}

/** What verifying a candidate against the paper needs. */
interface Check {
  readonly paper: AnalyzedPaper
  readonly marks: Int32Array
  readonly stamp: number
  readonly keys: KeyIndex
  readonly keyWords: KeyWordsCache
  readonly code: Int32Array
  /** Scratch: the leaves of a key program that count towards its match. */
  readonly leaves: number[]
}

function astWords(ast: Query, check: Check): string[] | null {
  const { matched, words } = evaluate(ast, check.paper)
  return matched ? words : null
}

/**
 * The words the key program at `start` matched in the paper, null when it does not match, or
 * undefined when only the query's AST can tell.
 */
function programWords(start: number, check: Check): string[] | null | undefined {
  const leaves = check.leaves
  leaves.length = 0
  const verdict = runProgram(check.code, start, check.marks, check.stamp, leaves)
  if (verdict === NO) return null
  if (verdict === MAYBE) return undefined
  if (leaves.length === 1) return wordsOf(leaves[0] as number, check)
  const words = new Set<string>()
  for (const key of leaves) for (const word of wordsOf(key, check)) words.add(word)
  return [...words]
}

const wordsOf = (key: number, check: Check): string[] =>
  check.keyWords.get(key, check.stamp, check.keys, check.paper)
