// Millions of small records (who owns which query, who follows which topic) are kept as
// columns of typed arrays rather than one object each: an object costs tens of bytes of
// header and a pointer per field, a column entry 4 or 8 bytes, and the GC never traces them.

export class IntColumn {
  data: Int32Array

  constructor(
    capacity: number,
    private readonly empty = -1,
  ) {
    this.data = new Int32Array(Math.max(16, capacity)).fill(empty)
  }

  /** Makes `index` addressable; the hot loops then read `data` directly. */
  ensure(index: number): void {
    if (index < this.data.length) return
    const grown = new Int32Array(Math.max(index + 1, this.data.length * 2)).fill(this.empty)
    grown.set(this.data)
    this.data = grown
  }

  get(index: number): number {
    return this.data[index] ?? this.empty
  }

  set(index: number, value: number): void {
    this.ensure(index)
    this.data[index] = value
  }
}

// Ids up to here use the array: at most 64 MB, for a deployment that has created 16 million
// subscribers; beyond, a Map.
const DENSE_IDS = 1 << 24

/**
 * Database ids (non-negative integers, handed out in order) to int32 values ≥ 0.
 * An array lookup where a Map of a million entries would hash each id and miss the cache.
 */
export class IdMap {
  private readonly dense = new IntColumn(1024)
  private readonly sparse = new Map<number, number>()
  private count = 0

  get size(): number {
    return this.count
  }

  get(id: number): number | undefined {
    if (!isDense(id)) return this.sparse.get(id)
    const value = this.dense.get(id)
    return value === -1 ? undefined : value
  }

  /** `value` must be ≥ 0: -1 marks an empty place. */
  set(id: number, value: number): void {
    if (this.get(id) === undefined) this.count++
    if (isDense(id)) this.dense.set(id, value)
    else this.sparse.set(id, value)
  }

  delete(id: number): void {
    if (this.get(id) === undefined) return
    this.count--
    if (isDense(id)) this.dense.set(id, -1)
    else this.sparse.delete(id)
  }
}

const isDense = (id: number) => id < DENSE_IDS && id >= 0 && Number.isInteger(id)

/** Subscriber and interest ids are bigint in the database: 53 bits, beyond Int32. */
export class FloatColumn {
  data: Float64Array

  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity))
  }

  get(index: number): number {
    return this.data[index] ?? 0
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) {
      const grown = new Float64Array(Math.max(index + 1, this.data.length * 2))
      grown.set(this.data)
      this.data = grown
    }
    this.data[index] = value
  }
}

/** Hands out small integer ids and takes them back, so columns stay dense under churn. */
export class IdAllocator {
  private readonly free: number[] = []
  private next = 0

  take(): number {
    return this.free.pop() ?? this.next++
  }

  give(id: number): void {
    this.free.push(id)
  }

  /** One more than the highest id ever handed out: the size columns must have. */
  get high(): number {
    return this.next
  }

  get live(): number {
    return this.next - this.free.length
  }
}
