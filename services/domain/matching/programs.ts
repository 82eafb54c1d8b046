import { type Query, requiredTermSets } from '../query/index.js'
import { MAX_PHRASE_KEY_WORDS } from '../query/index-keys.js'

// Most interest lines are built from parts whose index key alone decides them: a word, a
// phrase of two or three words, a category, a prefix, anywhere in the title or abstract. Such
// a query is compiled into a small program over key ids, and a candidate paper is verified
// by reading which keys it has, with no walk of the AST and no look at word positions. A part
// keys cannot decide (a field, an author, a longer phrase) becomes a check of keys it needs:
// a paper lacking one is decided there and then, and only a paper having them all is left to
// the AST (most papers lack a four-word phrase that an OR offers beside a single word).

/**
 * Opcodes; a leaf is [LEAF, keyId], a check [CHECK, keyId], the others [op, size of the node,
 * …children]. A check is false when the paper lacks its key and undecided when it has it.
 */
export const LEAF = 0
export const NOT = 1
export const AND = 2
export const OR = 3
export const CHECK = 4

/** What running a program says: the paper matches, does not, or only the AST can tell. */
export const NO = 0
export const YES = 1
export const MAYBE = 2
export type Verdict = typeof NO | typeof YES | typeof MAYBE

/** A compiled query with key names in its leaves, before they are interned. */
export type KeyProgram = (string | number)[]

/** The key that alone decides a leaf, or null when the leaf needs the AST. */
function leafKey(query: Query): string | null {
  switch (query.kind) {
    case 'term':
      return `word:${query.word}`
    case 'prefix':
      return `prefix:${query.prefix}`
    case 'phrase': {
      if (query.words.some((w) => w.prefix)) return null
      const words = query.words.map((w) => w.text)
      if (words.length === 1) return `word:${words[0]}`
      return words.length >= 2 && words.length <= MAX_PHRASE_KEY_WORDS
        ? `phrase:${words.join(' ')}`
        : null
    }
    case 'exact': {
      const words = query.words
      if (words.length === 1) return `exact:${words[0]}`
      return words.length >= 2 && words.length <= MAX_PHRASE_KEY_WORDS
        ? `exact-phrase:${words.join(' ')}`
        : null
    }
    case 'category':
      return `${query.prefix ? 'category-prefix' : 'category'}:${query.value}`
    default:
      return null
  }
}

function emit(query: Query, out: KeyProgram): boolean {
  switch (query.kind) {
    case 'not':
    case 'and':
    case 'or': {
      const at = out.length
      out.push(query.kind === 'not' ? NOT : query.kind === 'and' ? AND : OR, 0)
      const children = query.kind === 'not' ? [query.child] : query.children
      for (const child of children) if (!emit(child, out)) return false
      out[at + 1] = out.length - at
      return true
    }
    default: {
      const key = leafKey(query)
      if (key !== null) {
        out.push(LEAF, key)
        return true
      }
      const needed = neededKeys(query)
      if (needed === null) return false
      if (needed.length > 1) out.push(AND, 2 + 2 * needed.length)
      for (const k of needed) out.push(CHECK, k)
      return true
    }
  }
}

/**
 * Keys every paper matching this part has, however it is scoped: the runs of three words of
 * a longer phrase (rarer than its words), or else the one alternative requiredTermSets()
 * gives; null when there is no such single set.
 */
function neededKeys(query: Query): string[] | null {
  if ((query.kind === 'phrase' && !query.words.some((w) => w.prefix)) || query.kind === 'exact') {
    const words = query.kind === 'phrase' ? query.words.map((w) => w.text) : query.words
    const kind = query.kind === 'phrase' ? 'phrase' : 'exact-phrase'
    const runs: string[] = []
    for (let i = 0; i + MAX_PHRASE_KEY_WORDS <= words.length; i++) {
      runs.push(`${kind}:${words.slice(i, i + MAX_PHRASE_KEY_WORDS).join(' ')}`)
    }
    if (runs.length > 0) return [...new Set(runs)]
  }
  const alternatives = requiredTermSets(query)
  const [only] = alternatives
  return alternatives.length === 1 && only !== undefined && only.length > 0 ? only : null
}

/** Whether a program has checks, which leave some papers to the AST. */
export function hasChecks(program: KeyProgram): boolean {
  for (let pc = 0; pc < program.length; pc += 2) if (program[pc] === CHECK) return true
  return false
}

/** The query as a key program, or null when some part of it needs the AST for every paper. */
export function keyProgram(query: Query): KeyProgram | null {
  try {
    const out: KeyProgram = []
    return emit(query, out) ? out : null
  } catch {
    return null
  }
}

/**
 * Every query's program, one after another in one array. Verifying a candidate then reads
 * one place in memory, where a program per query meant its record, a typed array and that
 * array's buffer: three cache misses per candidate, a million candidates per thousand papers.
 * A removed program leaves a hole (topics are edited rarely, and the index is rebuilt hourly).
 */
export class ProgramArena {
  code = new Int32Array(1024)
  private length = 0

  /** Appends a program with its key names replaced by their ids; returns where it starts. */
  add(program: KeyProgram, idOf: (key: string) => number): number {
    if (this.length + program.length > this.code.length) {
      const grown = new Int32Array(Math.max(this.code.length * 2, this.length + program.length))
      grown.set(this.code)
      this.code = grown
    }
    const start = this.length
    for (let pc = 0; pc < program.length; pc += 2) {
      this.code[start + pc] = program[pc] as number
      const operand = program[pc + 1] as string | number
      this.code[start + pc + 1] = typeof operand === 'string' ? idOf(operand) : operand
    }
    this.length += program.length
    return start
  }

  /** The key ids of the leaves of the program at `start`. */
  leafKeys(start: number): number[] {
    const keys: number[] = []
    const end = start + sizeAt(this.code, start)
    for (let pc = start; pc < end; pc += 2) {
      const op = this.code[pc]
      if (op === LEAF || op === CHECK) keys.push(this.code[pc + 1] as number)
    }
    return keys
  }
}

/**
 * Runs a program against the paper whose keys carry `stamp` in `marks`. With `out`, the keys
 * of every leaf that counts towards a YES are appended (as evaluate() reports words: none
 * under a NOT, none from the sides of an AND that failed); NO leaves `out` as it was. MAYBE
 * (some check had its keys, and the answer or the words hang on it): ask the AST.
 */
export function runProgram(
  code: Int32Array,
  pc: number,
  marks: Int32Array,
  stamp: number,
  out: number[] | null,
): Verdict {
  const op = code[pc]
  if (op === LEAF) {
    const key = code[pc + 1] as number
    if (marks[key] !== stamp) return NO
    if (out !== null) out.push(key)
    return YES
  }
  if (op === CHECK) return marks[code[pc + 1] as number] === stamp ? MAYBE : NO
  const end = pc + (code[pc + 1] as number)
  let child = pc + 2
  if (op === NOT) {
    const inner = runProgram(code, child, marks, stamp, null)
    return inner === MAYBE ? MAYBE : inner === YES ? NO : YES
  }
  if (op === AND) {
    const mark = out === null ? 0 : out.length
    let verdict: Verdict = YES
    for (; child < end; child += sizeAt(code, child)) {
      const v = runProgram(code, child, marks, stamp, out)
      if (v === MAYBE) verdict = MAYBE
      else if (v === NO) {
        if (out !== null) out.length = mark
        return NO
      }
    }
    return verdict
  }
  // An OR with a MAYBE is MAYBE even beside a YES when its words are wanted: the undecided
  // branch may add some. Under a NOT (no `out`) one YES settles it.
  let verdict: Verdict = NO
  for (; child < end; child += sizeAt(code, child)) {
    const v = runProgram(code, child, marks, stamp, out)
    if (v === YES) {
      if (out === null) return YES
      if (verdict === NO) verdict = YES
    } else if (v === MAYBE) verdict = MAYBE
  }
  return verdict
}

const sizeAt = (code: Int32Array, pc: number): number =>
  code[pc] === LEAF || code[pc] === CHECK ? 2 : (code[pc + 1] as number)
