import type { IncomingPaper, SourceName } from '../domain/papers/incoming.js'
import { ItemRejected } from './paper-builder.js'
import type { ParseOutcome, RejectedItem } from './types.js'

/**
 * Collects one body's papers and rejections. A bad item never sinks the batch, and an id
 * seen twice keeps its first occurrence so a retried page cannot overwrite good data.
 */
export class BatchCollector {
  private readonly papers: IncomingPaper[] = []
  private readonly rejected: RejectedItem[] = []
  private readonly firstIndex = new Map<string, number>()

  constructor(private readonly format: SourceName) {}

  /** Runs `make` for the item at `index`; an `ItemRejected` it throws becomes a rejection. */
  add(index: number, make: () => IncomingPaper): void {
    let paper: IncomingPaper
    try {
      paper = make()
    } catch (error) {
      if (!(error instanceof ItemRejected)) throw error
      this.reject(index, error.message, error.id)
      return
    }
    this.accept(index, paper)
  }

  /** Adds an already-built paper (used when merging pages), still checking for duplicates. */
  accept(index: number, paper: IncomingPaper): void {
    const first = this.firstIndex.get(paper.id)
    if (first !== undefined) {
      this.reject(index, `duplicate id ${paper.id} (also at index ${first})`, paper.id)
      return
    }
    this.firstIndex.set(paper.id, index)
    this.papers.push(paper)
  }

  reject(index: number, reason: string, id?: string): void {
    this.rejected.push(id === undefined ? { index, reason } : { index, id, reason })
  }

  outcome(): ParseOutcome {
    return { format: this.format, papers: this.papers, rejected: this.rejected }
  }
}
