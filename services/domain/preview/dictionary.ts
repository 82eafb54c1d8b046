// Every word of the papers in a preview window, once: papers keep small word ids instead of
// strings, so that a few thousand analysed papers take a few megabytes, not hundreds.

import { lowerBound } from '../lower-bound.js'

/** Id 0 stands for the empty position between a paper's title and its abstract. */
export const GAP = 0

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) {
    out[k++] = (a[i] as string) < (b[j] as string) ? (a[i++] as string) : (b[j++] as string)
  }
  while (i < a.length) out[k++] = a[i++] as string
  while (j < b.length) out[k++] = b[j++] as string
  return out
}

/** Words to ids and back; only grows (a window being rebuilt keeps the ids of its papers). */
export class WordDictionary {
  private readonly ids = new Map<string, number>([['', GAP]])
  /** Id → word. */
  readonly words: string[] = ['']
  /** Every word, sorted, for prefixes: kept current by settle(). */
  private sorted: string[] = []
  private unsorted: string[] = []

  get size(): number {
    return this.words.length
  }

  /** The word's id, adding it if it is new. */
  idOf(word: string): number {
    let id = this.ids.get(word)
    if (id === undefined) {
      id = this.words.length
      this.ids.set(word, id)
      this.words.push(word)
      this.unsorted.push(word)
    }
    return id
  }

  /** The word's id, or undefined when no paper of the window has it. */
  find(word: string): number | undefined {
    return this.ids.get(word)
  }

  /** Sorts the words added since last time into the prefix list; a window calls it once built. */
  settle(): void {
    if (this.unsorted.length === 0) return
    this.sorted = mergeSorted(this.sorted, this.unsorted.sort())
    this.unsorted = []
  }

  /** Ids of every word starting with `prefix`. */
  withPrefix(prefix: string): number[] {
    this.settle()
    const found: number[] = []
    for (let i = lowerBound(this.sorted, prefix); i < this.sorted.length; i++) {
      const word = this.sorted[i] as string
      if (!word.startsWith(prefix)) break
      found.push(this.ids.get(word) as number)
    }
    return found
  }
}
