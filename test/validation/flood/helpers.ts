/** Small builders shared by the flood validation tests. */
import type { Boundary, FloodSetup, FloodSolver } from '../../../src/physics/flood';

export const WALLS: FloodSetup['boundaries'] = {
  west: { type: 'wall' },
  east: { type: 'wall' },
  north: { type: 'wall' },
  south: { type: 'wall' },
};

export function boundaries(west: Boundary, east: Boundary, north: Boundary, south: Boundary): FloodSetup['boundaries'] {
  return { west, east, north, south };
}

/** Runs the solver to time `end` exactly (the last step is shortened). */
export function runTo(solver: FloodSolver, end: number, maxDt = Infinity): void {
  while (solver.time < end - 1e-12) solver.step(Math.min(maxDt, end - solver.time));
}

/** Largest |velocity| over cells deeper than `wet`. */
export function maxSpeed(solver: FloodSolver, wet = 1e-6): number {
  let m = 0;
  for (let k = 0; k < solver.h.length; k++) {
    const h = solver.h[k]!;
    if (h > wet) m = Math.max(m, Math.abs(solver.hu[k]! / h), Math.abs(solver.hv[k]! / h));
  }
  return m;
}

/** |volume - (in - out) - V0| / (in + V0). */
export function massError(solver: FloodSolver, v0: number): number {
  const { volumeIn, volumeOut } = solver.mass;
  return Math.abs(solver.volume() - (volumeIn - volumeOut) - v0) / (volumeIn + v0);
}

/** A 1D channel along x: nx cells, ny rows, walls north and south. */
export function channel(nx: number, ny: number, dx: number, depth: (x: number) => number, bed: (x: number) => number = () => 0) {
  const n = nx * ny;
  const z = new Float64Array(n);
  const h0 = new Float64Array(n);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x = (i + 0.5) * dx;
      z[j * nx + i] = bed(x);
      h0[j * nx + i] = depth(x);
    }
  }
  return { nx, ny, dx, dy: dx, bed: z, h0 };
}

export function fmt(x: number, digits = 3): string {
  return x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(digits) : x.toFixed(digits + 1);
}
