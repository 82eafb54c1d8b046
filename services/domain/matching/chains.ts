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
 * Fixed-size records of numbers packed in one growable Float64Array, the last number of each
 * being its chain entry. Off the V8 heap, so the GC never scans them: as plain arrays, the 25
 * million numbers of 5 million interests made every major collection scan them all.
 */
export class PackedRecords {
  data: Float64Array
  /** Numbers in use: records × stride. */
  length = 0

  constructor(readonly stride: number) {
    this.data = new Float64Array(stride)
  }

  get count(): number {
    return this.length / this.stride
  }

  /** Index of a new record at the end; its `stride` numbers are then written at data[index…]. */
  append(): number {
    if (this.length + this.stride > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, this.stride * 4))
      grown.set(this.data)
      this.data = grown
    }
    const index = this.length
    this.length += this.stride
    return index
  }

  /** Removes the record at `index`, moving the last record into the hole. */
  remove(index: number, chains: SlotChains): void {
    const stride = this.stride
    const last = this.length - stride
    if (index !== last) {
      this.data.copyWithin(index, last, last + stride)
      chains.moveTo(this.data[index + stride - 1] as number, index)
    }
    this.length = last
  }
}
