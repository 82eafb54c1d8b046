/** Index of the first element ≥ target in an ascending array; its length when there is none. */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, target: T): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as T) < target) lo = mid + 1
    else hi = mid
  }
  return lo
}
