/**
 * A moving convective rain cell: a Gaussian rain-rate profile whose centre
 * travels along a track (straight legs between timed points, so each leg's
 * speed is its length over its time), raining from the first track time to
 * the last. Rate at distance r from the centre: peak * exp(-(r / radius)^2),
 * so a cell wholly over the grid drops peak * pi * radius^2 per second.
 *
 * Distances are in metres on the grid's own cells (dxMetres, dyMetres), the
 * same flat local frame the flood solver uses, also for geographic grids.
 * The profile is separable, so a field costs one multiply per cell.
 */
import type { Georeference } from '../api/types';

export interface TrackPoint {
  /** Run time (s). */
  t_s: number;
  /** Centre in the grid's CRS. */
  x: number;
  y: number;
}

export interface RainCell {
  track: TrackPoint[];
  /** e-folding radius of the profile (m). */
  radius_m: number;
  /** Rate at the centre (mm/h). */
  peak_mm_h: number;
}

/** Where the centre is at time t (null outside the track's time span). */
export function cellCentre(cell: RainCell, t: number): { x: number; y: number } | null {
  const track = cell.track;
  if (track.length === 0 || t < track[0]!.t_s || t > track[track.length - 1]!.t_s) return null;
  let i = 1;
  while (i < track.length - 1 && track[i]!.t_s < t) i++;
  const a = track[i - 1] ?? track[0]!;
  const b = track[i] ?? a;
  const f = b.t_s > a.t_s ? (t - a.t_s) / (b.t_s - a.t_s) : 0;
  return { x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y) };
}

/** Problems with a cell's track, worded for the scenario field they name (empty when fine). */
export function rainCellProblems(cell: RainCell, grid: Georeference): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const { track } = cell;
  if (track.length < 2) problems.push({ field: 'track', problem: 'give at least two timed points (start and end of the rain)' });
  for (let i = 1; i < track.length; i++) {
    if (!(track[i]!.t_s > track[i - 1]!.t_s)) problems.push({ field: `track.${i}.t_s`, problem: `times must increase (${track[i]!.t_s} after ${track[i - 1]!.t_s})` });
  }
  if (problems.length === 0 && !passesOver(cell, grid)) {
    problems.push({ field: 'track', problem: `the cell never comes within 3 radii (${(3 * cell.radius_m) / 1000} km) of the DEM: no rain would fall on it` });
  }
  return problems;
}

/** The cell's rain on the grid, m/s per cell (row 0 north), written into `out`. */
export function rainCellField(cell: RainCell, grid: Georeference): (t: number, out: Float64Array) => Float64Array {
  const { nx, ny } = grid;
  const fx = new Float64Array(nx);
  const fy = new Float64Array(ny);
  const peak = cell.peak_mm_h / 3.6e6; // mm/h -> m/s
  const kx = grid.dxMetres / grid.dx; // metres per CRS unit
  const ky = grid.dyMetres / grid.dy;
  const invR2 = 1 / (cell.radius_m * cell.radius_m);
  return (t, out) => {
    const c = cellCentre(cell, t);
    if (!c) return out.fill(0);
    for (let i = 0; i < nx; i++) {
      const d = (grid.x0 + (i + 0.5) * grid.dx - c.x) * kx;
      fx[i] = Math.exp(-d * d * invR2);
    }
    for (let j = 0; j < ny; j++) {
      const d = (grid.y0 - (j + 0.5) * grid.dy - c.y) * ky;
      fy[j] = peak * Math.exp(-d * d * invR2);
    }
    for (let j = 0; j < ny; j++) {
      const r = fy[j]!;
      const o = j * nx;
      for (let i = 0; i < nx; i++) out[o + i] = r * fx[i]!;
    }
    return out;
  };
}

/** True when some leg of the track comes within 3 radii of the grid's extent. */
function passesOver(cell: RainCell, grid: Georeference): boolean {
  const kx = grid.dxMetres / grid.dx;
  const ky = grid.dyMetres / grid.dy;
  const xmin = grid.x0;
  const xmax = grid.x0 + grid.nx * grid.dx;
  const ymax = grid.y0;
  const ymin = grid.y0 - grid.ny * grid.dy;
  const reach = 3 * cell.radius_m;
  // sample each leg finely enough (a tenth of the radius) to see it cross a corner
  for (let i = 1; i < cell.track.length; i++) {
    const a = cell.track[i - 1]!;
    const b = cell.track[i]!;
    const length = Math.hypot((b.x - a.x) * kx, (b.y - a.y) * ky);
    const n = Math.min(1e5, Math.max(1, Math.ceil(length / (0.1 * cell.radius_m))));
    for (let s = 0; s <= n; s++) {
      const x = a.x + ((b.x - a.x) * s) / n;
      const y = a.y + ((b.y - a.y) * s) / n;
      const dx = Math.max(xmin - x, 0, x - xmax) * kx;
      const dy = Math.max(ymin - y, 0, y - ymax) * ky;
      if (Math.hypot(dx, dy) <= reach) return true;
    }
  }
  return false;
}
