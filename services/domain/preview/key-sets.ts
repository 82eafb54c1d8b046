import { AND, CHECK, type KeyProgram, LEAF, NOT, OR } from '../matching/programs.js'

// A key program (matching/programs.ts) run over every paper of a window at once rather than
// paper by paper: each node gives a verdict per paper, one byte each, in the encoding below.

export const NO = 0
export const YES = 1
export const MAYBE = 2

/**
 * Which papers have a key (one of requiredTermSets()'s): 1 where the paper has it. `care`,
 * when given, marks the papers whose answer still matters (1); for the others any answer
 * will do, so a costly check may skip them.
 */
export type KeyPapers = (key: string, care: Uint8Array | undefined) => Uint8Array

/** Verdicts per paper, as runProgram() gives them for one paper when no words are wanted. */
export function runProgramOnAll(
  program: KeyProgram,
  papers: number,
  keyPapers: KeyPapers,
): Uint8Array {
  return run(program, 0, papers, keyPapers, undefined)
}

const sizeAt = (program: KeyProgram, pc: number): number =>
  program[pc] === LEAF || program[pc] === CHECK ? 2 : (program[pc + 1] as number)

/** Verdicts of the node at `pc`; where `care` is 0 they may be anything. */
function run(
  program: KeyProgram,
  pc: number,
  papers: number,
  keyPapers: KeyPapers,
  care: Uint8Array | undefined,
): Uint8Array {
  const op = program[pc]
  if (op === LEAF || op === CHECK) {
    const has = keyPapers(program[pc + 1] as string, care)
    if (op === LEAF) return has
    const out = new Uint8Array(papers)
    for (let i = 0; i < papers; i++) if (has[i] === 1) out[i] = MAYBE
    return out
  }
  const end = pc + (program[pc + 1] as number)
  let child = pc + 2
  if (op === NOT) {
    const inner = run(program, child, papers, keyPapers, care)
    const out = new Uint8Array(papers)
    for (let i = 0; i < papers; i++) {
      const v = inner[i]
      out[i] = v === MAYBE ? MAYBE : v === YES ? NO : YES
    }
    return out
  }
  const out = new Uint8Array(papers)
  if (op === AND) out.fill(YES)
  // A paper already NO for an AND (YES for an OR) stays so whatever the other sides say: they
  // need not look at it, and once every paper is settled they need not run at all.
  const settled = op === AND ? NO : YES
  let sideCare = care
  for (; child < end; child += sizeAt(program, child)) {
    const side = run(program, child, papers, keyPapers, sideCare)
    const open = new Uint8Array(papers)
    let opened = 0
    for (let i = 0; i < papers; i++) {
      const v = side[i]
      const current = out[i]
      if (op === AND) {
        if (v === NO) out[i] = NO
        else if (v === MAYBE && current === YES) out[i] = MAYBE
      } else if (op === OR) {
        if (v === YES) out[i] = YES
        else if (v === MAYBE && current === NO) out[i] = MAYBE
      }
      if (out[i] !== settled && (care === undefined || care[i] === 1)) {
        open[i] = 1
        opened++
      }
    }
    if (opened === 0) break
    sideCare = open
  }
  return out
}

/**
 * For a query no key program can stand for: MAYBE for every paper having all the keys of one
 * of its alternatives (requiredTermSets()), NO for the rest; with no alternative, MAYBE for all.
 */
export function candidatesOnAll(
  alternatives: readonly (readonly string[])[],
  papers: number,
  keyPapers: KeyPapers,
): Uint8Array {
  const out = new Uint8Array(papers)
  if (alternatives.length === 0) return out.fill(MAYBE)
  for (const keys of alternatives) {
    const all = new Uint8Array(papers).fill(1)
    for (const key of keys) {
      const has = keyPapers(key, all)
      for (let i = 0; i < papers; i++) all[i] = (all[i] as number) & (has[i] as number)
    }
    for (let i = 0; i < papers; i++) if (all[i] === 1) out[i] = MAYBE
  }
  return out
}
