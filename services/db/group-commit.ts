/**
 * Many small writes made at about the same time, written as one statement. A write asked for
 * while a batch is being written waits for it and goes in the next batch; one asked for when
 * nothing is being written goes at the next turn of the event loop, with whatever else was
 * asked for in this one. So an idle process writes at once, and a busy one writes in batches
 * as large as its load makes them: no timer, and no wait longer than one round trip.
 *
 * Each caller's promise settles when its own item is written. A batch that fails is written
 * again one item per statement, so an item that cannot be written fails alone.
 */
export function groupCommit<T>(
  writeMany: (items: readonly T[]) => Promise<void>,
  options: { maxBatch: number },
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

  const writeEach = (batch: readonly Waiting[]) =>
    Promise.all(
      batch.map((w) =>
        writeMany([w.item]).then(
          () => w.resolve(),
          (error: unknown) => w.reject(error),
        ),
      ),
    )

  async function drain() {
    scheduled = false
    writing = true
    const batch = waiting.splice(0, options.maxBatch)
    try {
      await writeMany(batch.map((w) => w.item))
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
