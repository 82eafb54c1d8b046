/**
 * Many small writes made at about the same time, written as one statement. A write asked for
 * while a batch is being written waits for it and goes in a later batch; one asked for when
 * nothing is being written goes at the next turn of the event loop, with whatever else was
 * asked for in this one. So an idle process writes at once, and a busy one writes in batches
 * as large as its load makes them, with no timer. The price is that one slow batch delays
 * every write queued behind it.
 *
 * Items with the same key (`keyOf`) are never in one batch: each goes in a later batch than
 * the one asked for before it, so they are written in the order they were asked for.
 *
 * Each caller's promise settles when its own item is written. A batch that fails is written
 * again one item per statement, so an item that cannot be written fails alone.
 */
export function groupCommit<T>(
  writeMany: (items: readonly T[]) => Promise<void>,
  options: { maxBatch: number; keyOf: (item: T) => unknown },
): (item: T) => Promise<void> {
  interface Waiting {
    readonly item: T
    readonly resolve: () => void
    readonly reject: (error: unknown) => void
  }
  const waiting: Waiting[] = []
  let writing = false
  let scheduled = false

  const schedule = () => {
    if (writing || scheduled || waiting.length === 0) return
    scheduled = true
    setImmediate(drain)
  }

  /** The next batch, in the order asked for, skipping items whose key it already has. */
  const takeBatch = (): Waiting[] => {
    const batch: Waiting[] = []
    const keys = new Set<unknown>()
    for (let i = 0; i < waiting.length && batch.length < options.maxBatch; ) {
      const next = waiting[i] as Waiting
      const key = options.keyOf(next.item)
      if (keys.has(key)) {
        i++
        continue
      }
      keys.add(key)
      batch.push(next)
      waiting.splice(i, 1)
    }
    return batch
  }

  // A writer that throws instead of rejecting must still settle every caller.
  const write = (items: readonly T[]) => Promise.resolve().then(() => writeMany(items))

  const writeEach = (batch: readonly Waiting[]) =>
    Promise.all(
      batch.map((w) =>
        write([w.item]).then(
          () => w.resolve(),
          (error: unknown) => w.reject(error),
        ),
      ),
    )

  async function drain() {
    scheduled = false
    writing = true
    const batch = takeBatch()
    try {
      await write(batch.map((w) => w.item))
      for (const w of batch) w.resolve()
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error)
      else await writeEach(batch)
    } finally {
      writing = false
      schedule()
    }
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, resolve, reject })
      schedule()
    })
}
