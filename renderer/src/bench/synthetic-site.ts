/**
 * Synthetic sites for the benchmarks and the renderer's test pages: a square
 * DEM of n x n cells with a height function, as the engine would send it.
 */
import type { SiteData } from '@api';

/** Cell size (m) of the synthetic sites. */
export const CELL_M = 10;

/** An n x n site of CELL_M cells whose height (m) at column `col`, row `row` (row 0 north) is `height(col, row)`. */
export function siteFromHeights(id: string, name: string, n: number, height: (col: number, row: number) => number): SiteData {
  const elevation = new Float32Array(n * n);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const h = height(col, row);
      elevation[row * n + col] = h;
      min = Math.min(min, h);
      max = Math.max(max, h);
      sum += h;
    }
  }
  return {
    site: { id, name, description: '', source: 'synthetic', licence: '' },
    georef: { nx: n, ny: n, x0: 0, y0: 0, dx: CELL_M, dy: CELL_M, crs: 'unknown', dxMetres: CELL_M, dyMetres: CELL_M },
    units: 'm',
    stats: { min, max, mean: sum / (n * n), nodataFraction: 0 },
    elevation,
  };
}

/** Smooth hills and valleys, 0..~300 m. */
export function syntheticSite(n: number): SiteData {
  return siteFromHeights('bench', `Synthetic ${n} x ${n}`, n, (col, row) => {
    const x = col / n;
    const y = row / n;
    return 150 + 80 * Math.sin(6 * x + 1) * Math.cos(5 * y) + 60 * Math.sin(17 * x * y + 3 * y);
  });
}
