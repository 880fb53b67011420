/**
 * Face fields of the mass-consistent wind (same layout as the flood solver):
 * x-face (c, r) is the west face of cell (c, r), c = 0..nx, index r*(nx+1) + c,
 * carrying the eastward velocity; y-face (c, f) is the north face of row f,
 * f = 0..ny, index f*nx + c, carrying the northward velocity. Interior faces
 * take the mean layer thickness of their two cells, edge faces their cell's.
 */

/** Face-normal velocities from cell-centred ones plus grad(lambda) (lambda = 0 on the edge faces). */
export function faceVelocities(
  nx: number,
  ny: number,
  dx: number,
  dy: number,
  u: Float32Array | Float64Array,
  v: Float32Array | Float64Array,
  lambda: Float64Array | null,
): { U: Float64Array; V: Float64Array } {
  const U = new Float64Array((nx + 1) * ny);
  const V = new Float64Array(nx * (ny + 1));
  const l = (k: number) => (lambda ? lambda[k]! : 0);
  for (let r = 0; r < ny; r++) {
    const row = r * nx;
    const f = r * (nx + 1);
    U[f] = u[row]! + l(row) / (0.5 * dx);
    for (let c = 1; c < nx; c++) U[f + c] = 0.5 * (u[row + c - 1]! + u[row + c]!) + (l(row + c) - l(row + c - 1)) / dx;
    U[f + nx] = u[row + nx - 1]! - l(row + nx - 1) / (0.5 * dx);
  }
  const last = (ny - 1) * nx;
  for (let c = 0; c < nx; c++) {
    V[c] = v[c]! - l(c) / (0.5 * dy);
    for (let r = 1; r < ny; r++) {
      const k = r * nx + c;
      V[k] = 0.5 * (v[k - nx]! + v[k]!) + (l(k - nx) - l(k)) / dy;
    }
    V[ny * nx + c] = v[last + c]! + l(last + c) / (0.5 * dy);
  }
  return { U, V };
}

/** div(H u) per cell (m/s: the vertical velocity it would force through the lid) from face velocities. */
export function fluxDivergence(nx: number, ny: number, dx: number, dy: number, H: Float64Array, U: Float64Array, V: Float64Array): Float64Array {
  const div = new Float64Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      const f = r * (nx + 1) + c;
      const hw = c > 0 ? 0.5 * (H[k - 1]! + H[k]!) : H[k]!;
      const he = c < nx - 1 ? 0.5 * (H[k]! + H[k + 1]!) : H[k]!;
      const hn = r > 0 ? 0.5 * (H[k - nx]! + H[k]!) : H[k]!;
      const hs = r < ny - 1 ? 0.5 * (H[k]! + H[k + nx]!) : H[k]!;
      div[k] = (he * U[f + 1]! - hw * U[f]!) / dx + (hn * V[k]! - hs * V[k + nx]!) / dy;
    }
  }
  return div;
}
