// Seeded so that two runs generate the same papers and subscribers and can be compared.

export type Random = () => number

/** mulberry32: tiny, fast, and good enough to draw benchmark data. */
export function seeded(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T

export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1))

/**
 * Draws ranks 0…n-1 with probability ∝ 1/(rank+1)^s: interests are Zipf-distributed, a few
 * ("large language models") written by very many subscribers, most by few.
 */
export function zipf(random: Random, n: number, s = 1): () => number {
  const cumulative = new Float64Array(n)
  let total = 0
  for (let rank = 0; rank < n; rank++) {
    total += 1 / (rank + 1) ** s
    cumulative[rank] = total
  }
  return () => {
    const target = random() * total
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cumulative[mid] as number) < target) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
