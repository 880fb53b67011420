// A stage boundary fills an initially dry, gently rising basin up to the
// prescribed water level and the water comes to rest there (both schemes);
// everything that entered is booked in volumeIn.
import { describe, expect, it } from 'vitest';
import { createFloodSolver, type FloodScheme } from '../../../src/physics/flood';
import { boundaries, fmt } from './helpers';

const NX = 60;
const NY = 4;
const STAGE = 0.4;
const T = 1500;

describe('a stage boundary fills a basin to the stage level', () => {
  for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
    it(`${scheme}: the surface settles at the stage and the water comes to rest`, () => {
      const n = NX * NY;
      const bed = new Float64Array(n);
      for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) bed[j * NX + i] = 0.01 * (i + 0.5) + 0.02 * Math.sin(i * 1.7 + j);
      const solver = createFloodSolver({
        nx: NX,
        ny: NY,
        dx: 1,
        dy: 1,
        bed,
        h0: new Float64Array(n),
        manning: 0.03,
        scheme,
        cfl: 0.9,
        boundaries: boundaries({ type: 'stage', stage: () => STAGE }, { type: 'wall' }, { type: 'wall' }, { type: 'wall' }),
      });
      while (solver.time < T) solver.step(5);
      let surface = 0;
      let speed = 0;
      for (let k = 0; k < n; k++) {
        const h = solver.h[k]!;
        if (bed[k]! < STAGE - 1e-3) {
          surface = Math.max(surface, Math.abs(h + bed[k]! - STAGE));
          if (h > 1e-3) speed = Math.max(speed, Math.hypot(solver.hu[k]!, solver.hv[k]!) / h);
        }
      }
      const { volumeIn, volumeOut } = solver.mass;
      const balance = Math.abs(solver.volume() - (volumeIn - volumeOut)) / volumeIn;
      console.log(
        `[stage] ${scheme}: ${solver.steps} steps to ${T} s: max |eta - stage| = ${fmt(surface)} m, max |u| = ${fmt(speed)} m/s, ` +
          `in = ${fmt(volumeIn)} m3, out = ${fmt(volumeOut)} m3, stored = ${fmt(solver.volume())} m3, balance error ${fmt(balance)}`,
      );
      expect(surface).toBeLessThan(1e-3);
      expect(speed).toBeLessThan(1e-2);
      expect(balance).toBeLessThan(1e-10);
      expect(volumeIn).toBeGreaterThan(25); // about 8 m3 per metre of width, 4 m wide
      solver.dispose();
    });
  }
});
