/**
 * Symmetric 5-point operators on a row-major grid (row 0 north):
 * (A x)_k = diag_k x_k - east_{k-1} x_{k-1} - east_k x_{k+1} - south_{k-nx} x_{k-nx} - south_k x_{k+nx},
 * with east = 0 in the last column and south = 0 in the last row. The
 * loops run row by row with the edge tests hoisted or predictable, which
 * the JIT turns into tight code.
 */

export interface FivePoint {
  nx: number;
  ny: number;
  diag: Float64Array;
  /** Coupling (>= 0) of each cell to its east neighbour. */
  east: Float64Array;
  /** Coupling (>= 0) of each cell to its south neighbour. */
  south: Float64Array;
}

/** out = A x. */
export function applyFivePoint(m: FivePoint, x: Float64Array, out: Float64Array): void {
  const { nx, ny, diag, east, south } = m;
  for (let row = 0; row < ny; row++) {
    const k0 = row * nx;
    const k1 = k0 + nx - 1;
    const hasNorth = row > 0;
    const hasSouth = row < ny - 1;
    for (let k = k0; k <= k1; k++) {
      let v = diag[k]! * x[k]!;
      if (k > k0) v -= east[k - 1]! * x[k - 1]!;
      if (k < k1) v -= east[k]! * x[k + 1]!;
      if (hasNorth) v -= south[k - nx]! * x[k - nx]!;
      if (hasSouth) v -= south[k]! * x[k + nx]!;
      out[k] = v;
    }
  }
}

/** One Gauss-Seidel sweep on A x = b, in place, in row-major order or (backward) its reverse. */
export function gaussSeidel(m: FivePoint, b: Float64Array, x: Float64Array, backward: boolean): void {
  const { nx, ny, diag, east, south } = m;
  for (let i = 0; i < ny; i++) {
    const row = backward ? ny - 1 - i : i;
    const k0 = row * nx;
    const k1 = k0 + nx - 1;
    const hasNorth = row > 0;
    const hasSouth = row < ny - 1;
    for (let j = 0; j < nx; j++) {
      const k = backward ? k1 - j : k0 + j;
      let t = b[k]!;
      if (k > k0) t += east[k - 1]! * x[k - 1]!;
      if (k < k1) t += east[k]! * x[k + 1]!;
      if (hasNorth) t += south[k - nx]! * x[k - nx]!;
      if (hasSouth) t += south[k]! * x[k + nx]!;
      x[k] = t / diag[k]!;
    }
  }
}
