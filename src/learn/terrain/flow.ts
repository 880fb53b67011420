/**
 * D8 drainage on a routing surface (fill.ts): each cell drains to its
 * steepest-descent neighbour; edge cells with no lower neighbour drain out of
 * the grid. Accumulations run over the cells in upstream-first order.
 */
import { neighbours, type DemGrid } from './grid';

export interface Drainage {
  /** Downstream cell, or -1 where water leaves the grid. */
  down: Int32Array;
  /** Distance to the downstream cell (m; one cell size where water leaves). */
  step: Float64Array;
  /** Every cell once, each before the cell it drains to. */
  order: Int32Array;
}

export function d8(grid: Omit<DemGrid, 'z'>, routing: Float64Array): Drainage {
  const { nx, ny } = grid;
  const n = nx * ny;
  const down = new Int32Array(n).fill(-1);
  const step = new Float64Array(n).fill(Math.min(grid.dx, grid.dy));
  const around = neighbours(grid.dx, grid.dy);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      let best = 0;
      for (const { dr, dc, dist } of around) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= ny || cc >= nx) continue;
        const m = rr * nx + cc;
        const drop = (routing[k]! - routing[m]!) / dist;
        if (drop > best) {
          best = drop;
          down[k] = m;
          step[k] = dist;
        }
      }
    }
  }
  // Downstream cells are strictly lower on the routing surface: highest first is upstream first.
  const order = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => routing[b]! - routing[a]!);
  return { down, step, order };
}

/** Number of cells draining through each cell, itself included. */
export function accumulate(drainage: Drainage): Float64Array {
  const { down, order } = drainage;
  const area = new Float64Array(down.length).fill(1);
  for (const k of order) {
    const d = down[k]!;
    if (d >= 0) area[d]! += area[k]!;
  }
  return area;
}

/**
 * Number of cells whose flow path reaches each cell within `reach` metres:
 * the part of the catchment a storm of limited duration can bring water from
 * (a flood wave moving ~1 m/s covers ~2 km in half an hour).
 */
export function accumulateWithin(drainage: Drainage, reach: number): Float64Array {
  const { down, step } = drainage;
  const area = new Float64Array(down.length);
  for (let k = 0; k < down.length; k++) {
    let m = k;
    let travelled = 0;
    while (m >= 0 && travelled <= reach) {
      area[m]! += 1;
      travelled += step[m]!;
      m = down[m]!;
    }
  }
  return area;
}

/**
 * Height above the nearest drainage (Rennó et al. 2008): elevation above the
 * first channel cell (accumulation >= threshold) downstream, on `surface`.
 */
export function heightAboveDrainage(drainage: Drainage, surface: Float64Array, area: Float64Array, threshold: number): Float64Array {
  const { down, order } = drainage;
  const outlet = new Int32Array(down.length);
  // Downstream first, so a cell's downstream neighbour already knows its channel cell.
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i]!;
    const d = down[k]!;
    outlet[k] = area[k]! >= threshold || d < 0 ? k : outlet[d]!;
  }
  return surface.map((z, k) => Math.max(0, z - surface[outlet[k]!]!));
}
