// Dam breaks in a 1D channel (walls north and south, ny = 3) against the
// analytic solutions: Ritter (dry bed downstream) and Stoker (wet bed, shock).
// L1 error of depth at t = T for three resolutions and the observed order.
import { describe, expect, it } from 'vitest';
import { createFloodSolver } from '../../../src/physics/flood';
import { observedOrder, ritterDepth, stokerDepth } from './analytic';
import { channel, fmt, runTo, WALLS } from './helpers';

const L = 10;
const X0 = 5;
const HL = 1;
const T = 0.5; // the waves stay inside the channel: rarefaction head at 3.43 m, front/shock < 8.2 m
const RESOLUTIONS = [100, 200, 400];

/** Mean absolute depth error (m) over the channel, middle row, fv scheme. */
function damBreakL1(nx: number, hr: number, exact: (x: number) => number): number {
  const dx = L / nx;
  const c = channel(nx, 3, dx, (x) => (x < X0 ? HL : hr));
  const solver = createFloodSolver({ ...c, manning: 0, scheme: 'fv', cfl: 0.9, boundaries: WALLS });
  runTo(solver, T);
  let err = 0;
  for (let i = 0; i < nx; i++) err += Math.abs(solver.h[nx + i]! - exact((i + 0.5) * dx));
  expect(solver.mass.clipped).toBe(0);
  solver.dispose();
  return err / nx;
}

describe('dam break in a 1D channel (fv)', () => {
  const cases = [
    // name, downstream depth, analytic solution, stated L1 bounds per resolution (m)
    { name: 'Ritter (dry bed)', hr: 0, exact: (x: number) => ritterDepth(x, T, X0, HL), bounds: [6.5e-3, 3.3e-3, 1.7e-3] },
    { name: 'Stoker (wet bed, hr = 0.1 m)', hr: 0.1, exact: (x: number) => stokerDepth(x, T, X0, HL, 0.1), bounds: [7e-3, 3.5e-3, 1.8e-3] },
  ];
  for (const { name, hr, exact, bounds } of cases) {
    it(`${name}: L1 error falls at first order or better`, () => {
      const errors = RESOLUTIONS.map((nx) => damBreakL1(nx, hr, exact));
      const dxs = RESOLUTIONS.map((nx) => L / nx);
      const order = observedOrder(dxs, errors);
      const pairwise = errors.slice(1).map((e, i) => Math.log2(errors[i]! / e));
      console.log(
        `[dam break] ${name}: L1(h) at t = ${T} s for nx = ${RESOLUTIONS.join(', ')}: ${errors.map((e) => fmt(e)).join(', ')} m; ` +
          `observed order ${fmt(order)} (pairwise ${pairwise.map((p) => fmt(p, 2)).join(', ')})`,
      );
      errors.forEach((e, i) => expect(e).toBeLessThan(bounds[i]!));
      // Discontinuous (Stoker) or kinked (Ritter) solutions: first order is the best a shock-capturing scheme gets.
      expect(order).toBeGreaterThan(0.85);
      for (const p of pairwise) expect(p).toBeGreaterThan(0.8);
    });
  }
});
