import { IdAllocator, IntColumn } from './columns.js'

const NONE = -1

/**
 * What each subscriber slot is entered in, for replacing or removing it: one entry per own
 * interest (owner = query id) or followed topic (owner = -2 - topic group id), chained per
 * slot. Each entry knows where its record sits in its owner's packed array, so leaving a
 * query shared by 100,000 subscribers is O(1): the last record moves into the hole and its
 * entry is told its new place. Matching never reads these; it reads the packed arrays.
 */
export class SlotChains {
  private readonly owner = new IntColumn(1024)
  private readonly index = new IntColumn(1024)
  private readonly next = new IntColumn(1024)
  private readonly head = new IntColumn(1024)
  private readonly ids = new IdAllocator()

  add(slot: number, owner: number, index: number): number {
    const entry = this.ids.take()
    this.owner.set(entry, owner)
    this.index.set(entry, index)
    this.next.set(entry, this.head.get(slot))
    this.head.set(slot, entry)
    return entry
  }

  /**
   * Detaches a slot's entries without dropping them, so that a replacement can be added
   * first: lines and queries kept by both stay alive instead of being freed and parsed again.
   */
  take(slot: number): number {
    const first = this.head.get(slot)
    this.head.set(slot, NONE)
    return first
  }

  isEmpty(slot: number): boolean {
    return this.head.get(slot) === NONE
  }

  ownerOf(entry: number): number {
    return this.owner.get(entry)
  }

  indexOf(entry: number): number {
    return this.index.get(entry)
  }

  moveTo(entry: number, index: number): void {
    this.index.set(entry, index)
  }

  /** Drops a chain from take(); `onDrop` runs for each entry before its id is reused. */
  drop(first: number, onDrop: (entry: number) => void): void {
    for (let entry = first; entry !== NONE; ) {
      const following = this.next.get(entry)
      onDrop(entry)
      this.ids.give(entry)
      entry = following
    }
  }
}

/**
 * Removes the record at `index` from a packed array of `stride`-number records whose last
 * number is the record's chain entry, moving the last record into the hole.
 */
export function removeRecord(
  records: number[],
  stride: number,
  index: number,
  chains: SlotChains,
): void {
  const last = records.length - stride
  if (index !== last) {
    for (let k = 0; k < stride; k++) records[index + k] = records[last + k] as number
    chains.moveTo(records[index + stride - 1] as number, index)
  }
  records.length = last
}
