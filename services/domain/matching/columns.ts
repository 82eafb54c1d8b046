// Per-key and per-query numbers (stamps, reference counts, line → query) are kept as columns
// of typed arrays rather than in objects: an object costs tens of bytes of header and a
// pointer per field, a column entry 4 bytes, and the GC never traces them.

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

  get live(): number {
    return this.next - this.free.length
  }
}
