/**
 * The elliptic operator of the mass-consistent wind, A lambda = -div(H grad lambda),
 * on the cell-centred grid with lambda = 0 on the four edge faces.
 *
 * Face thickness: interior faces take the mean H of their two cells; an
 * edge face takes its cell's H, and lambda = 0 there half a cell away from
 * the centre, so its coefficient is 2 H / d^2. A is symmetric positive
 * definite (every row has an edge path to the Dirichlet faces).
 */
import type { FivePoint } from './five-point';

export function layerOperator(nx: number, ny: number, dx: number, dy: number, H: Float64Array): FivePoint {
  const n = nx * ny;
  const ix = 1 / (dx * dx);
  const iy = 1 / (dy * dy);
  const east = new Float64Array(n);
  const south = new Float64Array(n);
  const diag = new Float64Array(n);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      const e = c < nx - 1 ? 0.5 * (H[k]! + H[k + 1]!) * ix : 0;
      const s = r < ny - 1 ? 0.5 * (H[k]! + H[k + nx]!) * iy : 0;
      east[k] = e;
      south[k] = s;
      let d = e + s;
      d += c > 0 ? east[k - 1]! : 2 * H[k]! * ix;
      d += r > 0 ? south[k - nx]! : 2 * H[k]! * iy;
      if (c === nx - 1) d += 2 * H[k]! * ix;
      if (r === ny - 1) d += 2 * H[k]! * iy;
      diag[k] = d;
    }
  }
  return { nx, ny, diag, east, south };
}
