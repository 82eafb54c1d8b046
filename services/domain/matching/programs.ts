import type { Query } from '../query/index.js'
import { MAX_PHRASE_KEY_WORDS } from '../query/required.js'

// Most interest lines are built from parts whose index key alone decides them: a word, a
// phrase of two or three words, a category, a prefix, anywhere in the title or abstract. Such
// a query is compiled into a small program over key ids, and a candidate paper is verified
// by reading which keys it has, with no walk of the AST and no look at word positions. Lines
// with anything else (a field, an author, a longer phrase) are verified with the AST.

/** Opcodes; a leaf is [LEAF, keyId], the others [op, size of the node, …children]. */
export const LEAF = 0
export const NOT = 1
export const AND = 2
export const OR = 3

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
      if (key === null) return false
      out.push(LEAF, key)
      return true
    }
  }
}

/** The query as a key program, or null when some part of it needs the AST. */
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
      if (this.code[pc] === LEAF) keys.push(this.code[pc + 1] as number)
    }
    return keys
  }
}

/**
 * Runs a program against the paper whose keys carry `stamp` in `marks`. With `out`, the keys
 * of every leaf that counts towards the match are appended (as evaluate() reports words: none
 * under a NOT, none from the sides of an AND that failed); false leaves `out` as it was.
 */
export function runProgram(
  code: Int32Array,
  pc: number,
  marks: Int32Array,
  stamp: number,
  out: number[] | null,
): boolean {
  const op = code[pc]
  if (op === LEAF) {
    const key = code[pc + 1] as number
    if (marks[key] !== stamp) return false
    if (out !== null) out.push(key)
    return true
  }
  const end = pc + (code[pc + 1] as number)
  let child = pc + 2
  if (op === NOT) return !runProgram(code, child, marks, stamp, null)
  if (op === AND) {
    const mark = out === null ? 0 : out.length
    for (; child < end; child += sizeAt(code, child)) {
      if (runProgram(code, child, marks, stamp, out)) continue
      if (out !== null) out.length = mark
      return false
    }
    return true
  }
  let matched = false
  for (; child < end; child += sizeAt(code, child)) {
    if (!runProgram(code, child, marks, stamp, out)) continue
    if (out === null) return true
    matched = true
  }
  return matched
}

const sizeAt = (code: Int32Array, pc: number): number =>
  code[pc] === LEAF ? 2 : (code[pc + 1] as number)
