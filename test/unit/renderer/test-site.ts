/**
 * A DEM for the terrain tests: smooth hills with a little roughness on 30 m
 * cells, and with `holes` a grid of nodata patches (6 x 5 cells every 50 x 40).
 */
import type { SiteData } from '../../../src/api';

export function testSite(nx: number, ny: number, holes = false): SiteData {
  const elevation = new Float32Array(nx * ny);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const hash = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
      let h = 300 + 120 * Math.sin(i / 17) * Math.cos(j / 23) + 30 * (hash - Math.floor(hash));
      if (holes && (i % 50 < 6) && (j % 40 < 5)) h = NaN;
      elevation[j * nx + i] = h;
      if (h < min) min = h;
      if (h > max) max = h;
    }
  }
  return {
    site: { id: 'test', name: 'Test', description: '', source: 'test', licence: 'CC0-1.0' },
    georef: { nx, ny, x0: 0, y0: 0, dx: 30, dy: 30, crs: 'unknown', dxMetres: 30, dyMetres: 30 },
    units: 'm',
    stats: { min, max, mean: 300, nodataFraction: 0 },
    elevation,
  };
}
