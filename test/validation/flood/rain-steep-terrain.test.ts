// Rain on real steep terrain (a 120 x 120 window of the Jacksboro DEM, slopes
// up to ~60%): a thin film whose friction time (~0.1 s) is far below the CFL
// step. The depth field must not depend much on the Courant number: CFL 0.9
// and 0.1 agree after 300 s within 3% relative L1 for fv (the linearised
// friction q*/(1 + a|q_old|) gave 25%: cells that start still overshoot for a
// step) and 15% for inertial, which takes 2 steps of 150 s at CFL 0.9 (40%
// with the linearised friction).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDem } from '../../../src/io/read-dem';
import { createFloodSolver, type FloodScheme } from '../../../src/physics/flood';
import { boundaries, fmt, massError, runTo } from './helpers';

const DEM = resolve(__dirname, '../../../assets/sites/jacksboro/jacksboro_fault_dem.npz');
const N = 120;
const RAIN = 50 / 1000 / 3600; // 50 mm/h
const T = 300;

async function steepWindow() {
  const dem = await readDem(DEM);
  const { nx, ny } = dem.georef;
  // the window with the largest mean |slope| on a coarse search
  let best = { i0: 0, j0: 0, s: -1 };
  for (let j0 = 0; j0 + N <= ny; j0 += 20) {
    for (let i0 = 0; i0 + N <= nx; i0 += 20) {
      let s = 0;
      for (let j = j0; j < j0 + N - 1; j += 2) for (let i = i0; i < i0 + N - 1; i += 2) s += Math.abs(dem.data[j * nx + i + 1]! - dem.data[j * nx + i]!);
      if (s > best.s) best = { i0, j0, s };
    }
  }
  const bed = new Float64Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) bed[j * N + i] = dem.data[(best.j0 + j) * nx + best.i0 + i]!;
  return { bed, dx: dem.georef.dxMetres, dy: dem.georef.dyMetres };
}

function run(scheme: FloodScheme, cfl: number, w: Awaited<ReturnType<typeof steepWindow>>) {
  const open = { type: 'open' } as const;
  const solver = createFloodSolver({
    nx: N,
    ny: N,
    dx: w.dx,
    dy: w.dy,
    bed: w.bed,
    h0: new Float64Array(N * N),
    manning: 0.05,
    scheme,
    cfl,
    rain: () => RAIN,
    boundaries: boundaries(open, open, open, open),
  });
  runTo(solver, T);
  expect(massError(solver, 0)).toBeLessThan(1e-12);
  const h = Float64Array.from(solver.h);
  const steps = solver.steps;
  solver.dispose();
  return { h, steps };
}

describe('rain on steep real terrain does not depend on the time step', () => {
  it.each([
    ['fv', 0.03],
    ['inertial', 0.15],
  ] as [FloodScheme, number][])('%s: CFL 0.9 vs 0.1, depth rel L1 < %s', async (scheme, bound) => {
    const w = await steepWindow();
    const coarse = run(scheme, 0.9, w);
    const fine = run(scheme, 0.1, w);
    let diff = 0;
    let sum = 0;
    for (let k = 0; k < fine.h.length; k++) {
      diff += Math.abs(coarse.h[k]! - fine.h[k]!);
      sum += fine.h[k]!;
    }
    const relL1 = diff / sum;
    console.log(`${scheme} steep rain-on-grid: ${coarse.steps} vs ${fine.steps} steps, depth rel L1 ${fmt(relL1)}`);
    expect(fine.steps).toBeGreaterThan(3 * coarse.steps);
    expect(relL1).toBeLessThan(bound);
  });
});
