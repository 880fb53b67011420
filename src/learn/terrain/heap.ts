/** A binary min-heap of cell indices keyed by float64 values (priority-flood's queue). */
export class CellHeap {
  private readonly keys: Float64Array;
  private readonly cells: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.cells = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  push(cell: number, key: number): void {
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.cells[i] = this.cells[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.cells[i] = cell;
  }

  /** Removes and returns the cell with the smallest key. */
  pop(): number {
    const top = this.cells[0]!;
    const n = --this.n;
    const key = this.keys[n]!;
    const cell = this.cells[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.cells[i] = this.cells[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.cells[i] = cell;
    return top;
  }
}
