import { type AnalyzedPaper, type AnalyzedText, prefixPositions } from '../query/index.js'
import { IntColumn } from './columns.js'

// What a key reports as matched, exactly as evaluate() reports the part of a query the key
// stands for: each occurrence as written, in order, each once. Worked out per paper for the
// keys of the queries it matches, once per key however many queries share it.

const surfaceAt = (text: AnalyzedText, positions: readonly number[] | undefined): string[] =>
  (positions ?? []).map((p) => text.surface[p] as string)

/** Each place `words` runs in `sequence`, starting from the positions of the first word. */
function runs(
  text: AnalyzedText,
  starts: readonly number[] | undefined,
  sequence: readonly string[],
  words: readonly string[],
): string[] {
  const found: string[] = []
  next: for (const start of starts ?? []) {
    for (let i = 1; i < words.length; i++) if (sequence[start + i] !== words[i]) continue next
    found.push(words.map((_, i) => text.surface[start + i]).join(' '))
  }
  return found
}

export function keyWords(key: string, paper: AnalyzedPaper): string[] {
  const colon = key.indexOf(':')
  const value = key.slice(colon + 1)
  const text = paper.text
  switch (key.slice(0, colon)) {
    case 'word':
      return surfaceAt(text, text.folded.get(value))
    case 'exact':
      return surfaceAt(text, text.exact.get(value))
    case 'phrase': {
      const words = value.split(' ')
      return runs(text, text.folded.get(words[0] as string), text.foldedAt, words)
    }
    case 'exact-phrase': {
      const words = value.split(' ')
      return runs(text, text.exact.get(words[0] as string), text.surface, words)
    }
    case 'prefix':
      return surfaceAt(text, prefixPositions(text, value))
    case 'category':
      return paper.categories.filter((c) => c === value)
    case 'category-prefix':
      return paper.categories.filter((c) => c.startsWith(value))
    default:
      return []
  }
}

/** Per key id, its words for the paper being matched, worked out on first use. */
export class KeyWordsCache {
  private readonly stamps = new IntColumn(1024, 0)
  private readonly words: (string[] | undefined)[] = []

  get(
    id: number,
    stamp: number,
    keys: { name(id: number): string },
    paper: AnalyzedPaper,
  ): string[] {
    if (this.stamps.get(id) === stamp) return this.words[id] as string[]
    const found = [...new Set(keyWords(keys.name(id), paper))]
    this.stamps.set(id, stamp)
    this.words[id] = found
    return found
  }

  reset(): void {
    this.stamps.data.fill(0)
  }
}
