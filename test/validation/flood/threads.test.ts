// Several threads (worker_threads + SharedArrayBuffer row bands) give results
// identical to one thread: every cell's arithmetic is the same whatever the
// band split; only the per-band partial sums of the mass balance are added in
// another order.
import { describe, expect, it } from 'vitest';
import { createFloodSolver, type FloodScheme, type FloodSetup } from '../../../src/physics/flood';
import { boundaries, fmt } from './helpers';

const NX = 96;
const NY = 70;

function setup(scheme: FloodScheme, threads: number): FloodSetup {
  const n = NX * NY;
  const bed = new Float64Array(n);
  const h0 = new Float64Array(n);
  for (let j = 0; j < NY; j++) {
    for (let i = 0; i < NX; i++) {
      const z = 0.4 * Math.sin(i / 6) * Math.cos(j / 5) + 0.9 * Math.exp(-((i - 60) ** 2 + (j - 35) ** 2) / 60) + 0.01 * i;
      bed[j * NX + i] = z;
      h0[j * NX + i] = Math.max(0, (i < 30 ? 1.2 : 0.6) - z); // a dam break over islands
    }
  }
  return {
    nx: NX,
    ny: NY,
    dx: 5,
    dy: 4,
    bed,
    h0,
    manning: 0.03,
    scheme,
    cfl: 0.9,
    threads,
    boundaries: boundaries(
      { type: 'stage', stage: (t) => 0.9 + 0.2 * Math.sin(t / 20) },
      { type: 'open' },
      { type: 'wall' },
      { type: 'open' },
    ),
    rain: (t, out) => {
      for (let k = 0; k < n; k++) out[k] = (1e-5 * (k % NX)) / NX;
      return out;
    },
    inflows: [{ cell: 20 * NX + 50, discharge: () => 2 }],
  };
}

describe('threads give the same answer as one thread', () => {
  for (const [scheme, threads] of [
    ['fv', 2],
    ['inertial', 2],
    ['fv', 3],
  ] as [FloodScheme, number][]) {
    it(`${scheme}: ${threads} threads vs 1 thread, bit for bit`, () => {
      const one = createFloodSolver(setup(scheme, 1));
      const many = createFloodSolver(setup(scheme, threads));
      try {
        const steps = 150;
        for (let s = 0; s < steps; s++) {
          const a = one.step(2);
          const b = many.step(2);
          expect(b).toBe(a);
        }
        let dh = 0;
        let dq = 0;
        for (let k = 0; k < NX * NY; k++) {
          dh = Math.max(dh, Math.abs(one.h[k]! - many.h[k]!));
          dq = Math.max(dq, Math.abs(one.hu[k]! - many.hu[k]!), Math.abs(one.hv[k]! - many.hv[k]!));
        }
        const dIn = Math.abs(one.mass.volumeIn - many.mass.volumeIn) / one.mass.volumeIn;
        const dOut = Math.abs(one.mass.volumeOut - many.mass.volumeOut) / one.mass.volumeOut;
        console.log(
          `[threads] ${scheme} x${threads}: ${steps} steps to t = ${fmt(one.time)} s: max |dh| = ${fmt(dh)}, max |dq| = ${fmt(dq)}, ` +
            `rel d(volumeIn) = ${fmt(dIn)}, rel d(volumeOut) = ${fmt(dOut)}`,
        );
        expect(many.time).toBe(one.time);
        expect(dh).toBe(0);
        expect(dq).toBe(0);
        expect(dIn).toBeLessThan(1e-12);
        expect(dOut).toBeLessThan(1e-12);
        expect(one.mass.volumeOut).toBeGreaterThan(0);
      } finally {
        one.dispose();
        many.dispose();
      }
    });
  }
});
