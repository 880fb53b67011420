/**
 * Depression filling by priority flood (Barnes, Lehman & Mulla 2014), with
 * every edge cell an outlet (the family's boundaries are open). Returns the
 * filled surface (spill levels: water stands there before it can leave) and
 * a routing surface raised by a tiny epsilon per cell across flats, so that
 * every inland cell has a strictly lower neighbour to drain to.
 */
import { CellHeap } from './heap';
import { neighbours, type DemGrid } from './grid';

export function fillDepressions(grid: DemGrid, epsilon = 1e-5): { filled: Float64Array; routing: Float64Array } {
  const { nx, ny, z } = grid;
  const n = nx * ny;
  const filled = Float64Array.from(z);
  const routing = Float64Array.from(z);
  const done = new Uint8Array(n);
  const heap = new CellHeap(n);
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / nx);
    const c = k % nx;
    if (r === 0 || c === 0 || r === ny - 1 || c === nx - 1) {
      done[k] = 1;
      heap.push(k, routing[k]!);
    }
  }
  const around = neighbours(grid.dx, grid.dy);
  while (heap.size > 0) {
    const k = heap.pop();
    const r = Math.floor(k / nx);
    const c = k % nx;
    for (const { dr, dc } of around) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || cc < 0 || rr >= ny || cc >= nx) continue;
      const m = rr * nx + cc;
      if (done[m]) continue;
      done[m] = 1;
      filled[m] = Math.max(filled[m]!, filled[k]!);
      routing[m] = Math.max(routing[m]!, routing[k]! + epsilon);
      heap.push(m, routing[m]!);
    }
  }
  return { filled, routing };
}
