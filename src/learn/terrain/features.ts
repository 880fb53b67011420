/**
 * Static terrain channels for the surrogates, computed once per DEM. Where
 * water goes and how much of it arrives is what makes max depth learnable:
 * the networks get elevation and slope, but above all the drainage
 * structure (catchment area, the part of it reachable within a storm, height
 * above the channel, depression depth) that a CNN could not infer from a
 * few hundred metres of elevation around a cell.
 */
import { fillDepressions } from './fill';
import { accumulate, accumulateWithin, d8, heightAboveDrainage } from './flow';
import type { DemGrid } from './grid';

/** Flow-path reaches (m) of the partial catchment areas. */
const REACHES = [1000, 3000, 8000] as const;
/** Cells draining through a cell that make it a channel, for the height above drainage. */
const CHANNEL_CELLS = 100;

export const TERRAIN_CHANNELS = [
  'elevation_m',
  'log_slope',
  'log_area',
  ...REACHES.map((r) => `log_area_${r / 1000}km`),
  'log1p_hand_m',
  'log1p_depression_m',
] as const;

/** Channel-major [channel, row, column] float32, in TERRAIN_CHANNELS order. */
export function terrainFeatures(grid: DemGrid): Float32Array {
  const { nx, ny } = grid;
  const n = nx * ny;
  const { filled, routing } = fillDepressions(grid);
  const drainage = d8(grid, routing);
  const area = accumulate(drainage);
  const channels: ArrayLike<number>[] = [
    grid.z,
    slope(grid).map((s) => Math.log(Math.max(s, 1e-4))),
    area.map(Math.log),
    ...REACHES.map((r) => accumulateWithin(drainage, r).map(Math.log)),
    heightAboveDrainage(drainage, filled, area, CHANNEL_CELLS).map(Math.log1p),
    filled.map((f, k) => Math.log1p(f - grid.z[k]!)),
  ];
  const out = new Float32Array(channels.length * n);
  channels.forEach((ch, c) => out.set(ch, c * n));
  return out;
}

/** Gradient magnitude (m/m) by central differences, one-sided at the edges. */
export function slope(grid: DemGrid): Float64Array {
  const { nx, ny, dx, dy, z } = grid;
  const out = new Float64Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    const [r0, r1] = [Math.max(0, r - 1), Math.min(ny - 1, r + 1)];
    for (let c = 0; c < nx; c++) {
      const [c0, c1] = [Math.max(0, c - 1), Math.min(nx - 1, c + 1)];
      const gx = (z[r * nx + c1]! - z[r * nx + c0]!) / ((c1 - c0) * dx);
      const gy = (z[r0 * nx + c]! - z[r1 * nx + c]!) / ((r1 - r0) * dy);
      out[r * nx + c] = Math.hypot(gx, gy);
    }
  }
  return out;
}
