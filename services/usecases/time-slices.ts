/** Long enough to get work done, short enough that a request waiting behind it barely notices. */
export const SLICE_MS = 5

/**
 * Calls `visit` on each item, giving the event loop a turn after every `sliceMs` of work, so
 * that building something large in the HTTP process never holds other requests up for long.
 */
export async function forEachInSlices<T>(
  items: Iterable<T>,
  visit: (item: T) => void,
  sliceMs = SLICE_MS,
): Promise<void> {
  let sliceStart = performance.now()
  for (const item of items) {
    visit(item)
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      sliceStart = performance.now()
    }
  }
}
