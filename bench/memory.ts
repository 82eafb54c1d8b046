import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// Peak memory, sampled: matching runs synchronously, so a timer would never fire; the
// scenario calls sample() between batches and papers instead.

export interface Peak {
  /** V8 heap in use (objects, live or not yet collected). */
  heapUsed: number
  /** Typed arrays' memory, which lives outside the V8 heap. */
  arrayBuffers: number
  /** heapUsed + arrayBuffers at the same instant. */
  total: number
  rss: number
}

export class PeakMemory {
  readonly peak: Peak = { heapUsed: 0, arrayBuffers: 0, total: 0, rss: 0 }

  sample(): void {
    const m = process.memoryUsage()
    this.peak.heapUsed = Math.max(this.peak.heapUsed, m.heapUsed)
    this.peak.arrayBuffers = Math.max(this.peak.arrayBuffers, m.arrayBuffers)
    this.peak.total = Math.max(this.peak.total, m.heapUsed + m.arrayBuffers)
    this.peak.rss = Math.max(this.peak.rss, m.rss)
  }
}

let collector: (() => void) | undefined

/**
 * A full GC, to measure what is retained rather than what is not yet collected. Node only
 * exposes gc() with --expose-gc; the flag can be set at run time and gc() fetched from a
 * fresh context, so `npm run bench` needs no flags.
 */
export function collectGarbage(): void {
  if (collector === undefined) {
    setFlagsFromString('--expose-gc')
    collector = runInNewContext('gc') as () => void
  }
  collector()
}

export const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10
