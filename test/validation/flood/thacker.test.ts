// Thacker's planar oscillation in a paraboloid (moving shoreline, frictionless),
// fv scheme, against the analytic solution after half and one full period.
import { describe, expect, it } from 'vitest';
import { createFloodSolver } from '../../../src/physics/flood';
import { thackerBed, thackerDepth, thackerOmega, thackerVelocity, type Thacker } from './analytic';
import { fmt, runTo, WALLS } from './helpers';

const P: Thacker = { a: 1, h0: 0.1, eta: 0.5, xc: 2, yc: 2 };
const L = 4;
const N = 100;
const WET = 1e-3;

describe("Thacker's planar surface in a paraboloid (fv, 100 x 100)", () => {
  it('tracks depth, wet area and shoreline centre over one period', () => {
    const dx = L / N;
    const X = (i: number) => (i + 0.5) * dx;
    const Y = (j: number) => L - (j + 0.5) * dx; // row 0 is north
    const bed = new Float64Array(N * N);
    const h0 = new Float64Array(N * N);
    const u0 = new Float64Array(N * N);
    const v0 = new Float64Array(N * N);
    const vel = thackerVelocity(P, 0);
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++) {
        const k = j * N + i;
        bed[k] = thackerBed(P, X(i), Y(j));
        h0[k] = thackerDepth(P, X(i), Y(j), 0);
        if (h0[k]! > 0) {
          u0[k] = vel.u;
          v0[k] = vel.v;
        }
      }
    }
    const solver = createFloodSolver({ nx: N, ny: N, dx, dy: dx, bed, h0, u0, v0, manning: 0, scheme: 'fv', cfl: 0.9, boundaries: WALLS });
    const v00 = solver.volume();
    const period = (2 * Math.PI) / thackerOmega(P);
    const w = thackerOmega(P);
    // [fraction of period, bounds: relative L1 of depth, wet-cell mismatch, centre error (m), radius error (m)]
    for (const [frac, relL1Max, mismatchMax, centreMax, radiusMax] of [
      [0.5, 0.035, 0.05, 0.04, 0.01],
      [1, 0.035, 0.06, 0.045, 0.01],
    ] as const) {
      const t = frac * period;
      runTo(solver, t);
      let e1 = 0;
      let a1 = 0;
      let mismatch = 0;
      let wetA = 0;
      let wetN = 0;
      let cx = 0;
      let cy = 0;
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < N; i++) {
          const ha = thackerDepth(P, X(i), Y(j), t);
          const hn = solver.h[j * N + i]!;
          e1 += Math.abs(hn - ha);
          a1 += ha;
          if (ha > WET !== hn > WET) mismatch++;
          if (ha > WET) wetA++;
          if (hn > WET) {
            wetN++;
            cx += X(i);
            cy += Y(j);
          }
        }
      }
      const relL1 = e1 / a1;
      const centreErr = Math.hypot(cx / wetN - (P.xc + P.eta * Math.cos(w * t)), cy / wetN - (P.yc + P.eta * Math.sin(w * t)));
      const radiusErr = Math.abs(Math.sqrt((wetN * dx * dx) / Math.PI) - Math.sqrt((wetA * dx * dx) / Math.PI));
      const dv = Math.abs(solver.volume() - v00) / v00;
      console.log(
        `[thacker] t = ${fmt(frac, 2)} T (${solver.steps} steps): rel L1(h) = ${fmt(relL1)}, wet-cell mismatch = ${fmt(mismatch / wetA)} ` +
          `of ${wetA}, shoreline centre error = ${fmt(centreErr)} m, radius error = ${fmt(radiusErr)} m, |dV|/V = ${fmt(dv)}, clipped = ${fmt(solver.mass.clipped)} m3`,
      );
      expect(relL1).toBeLessThan(relL1Max);
      expect(mismatch / wetA).toBeLessThan(mismatchMax);
      expect(centreErr).toBeLessThan(centreMax);
      expect(radiusErr).toBeLessThan(radiusMax);
      expect(dv).toBeLessThan(1e-12);
    }
    solver.dispose();
  });
});
