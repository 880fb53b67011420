// Constant rain on a uniform sloping plane with Manning friction reaches the
// kinematic-wave steady state: outlet discharge q = r L and depth
// h(x) = (n r x / sqrt(S))^(3/5). Both schemes, free outflow (open) at the foot.
import { describe, expect, it } from 'vitest';
import { createFloodSolver, type FloodScheme } from '../../../src/physics/flood';
import { kinematicDepth } from './analytic';
import { boundaries, channel, fmt } from './helpers';

const L = 100; // m, divide at x = 0 (wall), outlet at x = L (open)
const S = 0.01;
const MANNING = 0.03;
const RAIN = 100 / 1000 / 3600; // 100 mm/h in m/s
const NX = 100;
const T = 3000; // s; the kinematic time of concentration is ~510 s
// Kinematic number S L / (F^2 h) ~ 400 >> 10: the kinematic wave is a good model away from the ends.

describe('rain on a sloping plane reaches the kinematic-wave steady state', () => {
  for (const [scheme, relL1Max, maxRelMax] of [
    ['fv', 0.015, 0.02],
    ['inertial', 0.02, 0.05],
  ] as [FloodScheme, number, number][]) {
    it(`${scheme}: outlet discharge and depth profile`, () => {
      const dx = L / NX;
      const c = channel(NX, 3, dx, () => 0, (x) => S * (L - x));
      const solver = createFloodSolver({
        ...c,
        manning: MANNING,
        scheme,
        cfl: 0.9,
        rain: () => RAIN,
        boundaries: boundaries({ type: 'wall' }, { type: 'open' }, { type: 'wall' }, { type: 'wall' }),
      });
      let outAt = 0;
      let tAt = 0;
      while (solver.time < T - 1e-9) {
        if (tAt === 0 && solver.time >= T - 200) {
          tAt = solver.time;
          outAt = solver.mass.volumeOut;
        }
        solver.step(Math.min(5, T - solver.time));
      }
      const width = c.ny * dx;
      const qOut = (solver.mass.volumeOut - outAt) / (solver.time - tAt) / width;
      let l1 = 0;
      let a1 = 0;
      let maxRel = 0;
      for (let i = 0; i < NX; i++) {
        const x = (i + 0.5) * dx;
        if (x < 0.1 * L || x > 0.95 * L) continue; // the kinematic model ignores the divide and outlet layers
        const ha = kinematicDepth(x, RAIN, MANNING, S);
        const hn = solver.h[NX + i]!;
        l1 += Math.abs(hn - ha);
        a1 += ha;
        maxRel = Math.max(maxRel, Math.abs(hn - ha) / ha);
      }
      const qErr = Math.abs(qOut / (RAIN * L) - 1);
      const mass = Math.abs(solver.volume() - (solver.mass.volumeIn - solver.mass.volumeOut)) / solver.mass.volumeIn;
      console.log(
        `[rain on plane] ${scheme}: ${solver.steps} steps to t = ${T} s: outlet q / (r L) - 1 = ${fmt(qErr)}, ` +
          `depth rel L1 on [0.1 L, 0.95 L] = ${fmt(l1 / a1)}, max rel = ${fmt(maxRel)}, outlet depth ${fmt(solver.h[2 * NX - 1]!)} m ` +
          `(kinematic ${fmt(kinematicDepth(L - dx / 2, RAIN, MANNING, S))}), mass error ${fmt(mass)}`,
      );
      expect(qErr).toBeLessThan(1e-3);
      expect(l1 / a1).toBeLessThan(relL1Max);
      expect(maxRel).toBeLessThan(maxRelMax);
      expect(mass).toBeLessThan(1e-10);
      solver.dispose();
    });
  }
});
