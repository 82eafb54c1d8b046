import { describe, expect, it } from 'vitest'
import { groupCommit } from '../../../services/db/group-commit.js'

/** A writer that records each batch and finishes it when told to. */
function recordingWriter(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = []
  const pending: (() => void)[] = []
  const writeMany = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push([...items])
      const settle = () =>
        items.some(fail) ? reject(new Error(`cannot write ${items.join(',')}`)) : resolve()
      pending.push(settle)
    })
  // Settles whatever is being written, turn after turn, until later batches have had time to start.
  const finishAll = async () => {
    for (let turn = 0; turn < 20; turn++) {
      await new Promise((r) => setImmediate(r))
      for (const settle of pending.splice(0)) settle()
    }
  }
  return { batches, writeMany, finishAll }
}

describe('group commit', () => {
  it('writes an item asked for alone at once, in a batch of its own', async () => {
    const writer = recordingWriter()
    const write = groupCommit(writer.writeMany, { maxBatch: 10, keyOf: (item: number) => item })
    const written = write(1)
    await writer.finishAll()
    await expect(written).resolves.toBeUndefined()
    expect(writer.batches).toEqual([[1]])
  })

  it('writes items asked for together in one batch, and those asked for meanwhile in the next', async () => {
    const writer = recordingWriter()
    const write = groupCommit(writer.writeMany, { maxBatch: 10, keyOf: (item: number) => item })
    const first = [1, 2, 3].map(write)
    await new Promise((r) => setImmediate(r))
    // The first batch is being written: these wait for it, then go together.
    const second = [4, 5].map(write)
    await writer.finishAll()
    await Promise.all([...first, ...second])
    expect(writer.batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ])
  })

  it('never writes more than maxBatch at once', async () => {
    const writer = recordingWriter()
    const write = groupCommit(writer.writeMany, { maxBatch: 2, keyOf: (item: number) => item })
    const all = [1, 2, 3, 4, 5].map(write)
    await writer.finishAll()
    await Promise.all(all)
    expect(writer.batches).toEqual([[1, 2], [3, 4], [5]])
  })

  it('fails only the item that cannot be written, and writes the rest of its batch', async () => {
    const writer = recordingWriter((item) => item === 2)
    const write = groupCommit(writer.writeMany, { maxBatch: 10, keyOf: (item: number) => item })
    const settled = Promise.allSettled([1, 2, 3].map(write))
    await writer.finishAll()
    const [one, two, three] = await settled
    expect(one?.status).toBe('fulfilled')
    expect(three?.status).toBe('fulfilled')
    expect(two).toMatchObject({ status: 'rejected', reason: { message: 'cannot write 2' } })
    // The batch failed as a whole, then each item was written on its own.
    expect(writer.batches).toEqual([[1, 2, 3], [1], [2], [3]])
  })

  it('puts two items with the same key in successive batches, in the order asked for', async () => {
    const writer = recordingWriter()
    const write = groupCommit(writer.writeMany, {
      maxBatch: 10,
      keyOf: (item: number) => item % 10,
    })
    const all = [1, 11, 2, 21, 3].map(write)
    await writer.finishAll()
    await Promise.all(all)
    expect(writer.batches).toEqual([[1, 2, 3], [11], [21]])
  })

  it('settles every caller when the writer throws instead of rejecting', async () => {
    const write = groupCommit(
      (items: readonly number[]) => {
        if (items.includes(2)) throw new Error('thrown for 2')
        return Promise.resolve()
      },
      { maxBatch: 10, keyOf: (item: number) => item },
    )
    const [one, two, three] = await Promise.allSettled([1, 2, 3].map(write))
    expect([one?.status, two?.status, three?.status]).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
  })
})
