/** LU factorisation with partial pivoting of a small dense matrix (row-major), for kriging systems. */
export class DenseLu {
  private readonly lu: Float64Array;
  private readonly pivot: Int32Array;

  /** Throws RangeError when the matrix is singular to working precision. */
  constructor(
    a: Float64Array,
    readonly n: number,
  ) {
    const lu = Float64Array.from(a);
    const pivot = new Int32Array(n);
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(lu[i]!));
    for (let k = 0; k < n; k++) {
      let p = k;
      for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[p * n + k]!)) p = i;
      if (!(Math.abs(lu[p * n + k]!) > 1e-13 * scale)) throw new RangeError(`singular matrix (pivot ${k})`);
      pivot[k] = p;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[k * n + j]!;
          lu[k * n + j] = lu[p * n + j]!;
          lu[p * n + j] = t;
        }
      }
      const d = lu[k * n + k]!;
      for (let i = k + 1; i < n; i++) {
        const f = (lu[i * n + k]! /= d);
        if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
      }
    }
    this.lu = lu;
    this.pivot = pivot;
  }

  /** Solves A x = b in place (b becomes x). */
  solve(b: Float64Array): Float64Array {
    const { lu, pivot, n } = this;
    for (let k = 0; k < n; k++) {
      const p = pivot[k]!;
      if (p !== k) {
        const t = b[k]!;
        b[k] = b[p]!;
        b[p] = t;
      }
    }
    for (let i = 1; i < n; i++) {
      let s = b[i]!;
      for (let j = 0; j < i; j++) s -= lu[i * n + j]! * b[j]!;
      b[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i]!;
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * b[j]!;
      b[i] = s / lu[i * n + i]!;
    }
    return b;
  }
}
