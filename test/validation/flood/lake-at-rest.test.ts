// A lake at rest over a bumpy bed with islands stays at rest (well-balancing),
// for both schemes, including at the shorelines of the dry islands.
import { describe, expect, it } from 'vitest';
import { createFloodSolver, type FloodScheme } from '../../../src/physics/flood';
import { fmt, maxSpeed, WALLS } from './helpers';

const NX = 64;
const NY = 48;
const LEVEL = 0.5;

function bumpyBed(): { bed: Float64Array; h0: Float64Array; dry: number } {
  const bed = new Float64Array(NX * NY);
  const h0 = new Float64Array(NX * NY);
  let dry = 0;
  for (let j = 0; j < NY; j++) {
    for (let i = 0; i < NX; i++) {
      const z =
        0.25 * Math.sin(i / 4.1) * Math.cos(j / 3.3) +
        0.8 * Math.exp(-((i - 40) ** 2 + (j - 20) ** 2) / 30) + // an island
        0.7 * Math.exp(-((i - 15) ** 2 + (j - 30) ** 2) / 12) + // another
        0.002 * ((i * 7919 + j * 104729) % 13); // roughness: no two neighbours alike
      bed[j * NX + i] = z;
      h0[j * NX + i] = Math.max(0, LEVEL - z);
      if (z >= LEVEL) dry++;
    }
  }
  return { bed, h0, dry };
}

describe('lake at rest over a bumpy, partly dry bed', () => {
  const { bed, h0, dry } = bumpyBed();

  it('has islands poking out (the test means something)', () => {
    expect(dry).toBeGreaterThan(40);
    expect(dry).toBeLessThan(NX * NY / 4);
  });

  for (const [scheme, steps, tolVel] of [
    ['fv', 1000, 1e-10],
    ['inertial', 2000, 1e-12],
  ] as [FloodScheme, number, number][]) {
    it(`${scheme}: max |velocity| < ${tolVel} and the surface stays flat after ${steps} steps`, () => {
      const solver = createFloodSolver({ nx: NX, ny: NY, dx: 1, dy: 1.3, bed, h0, manning: 0.03, scheme, cfl: 0.9, boundaries: WALLS });
      const v0 = solver.volume();
      for (let s = 0; s < steps; s++) solver.step(10);
      let surface = 0;
      let wetToDry = 0;
      for (let k = 0; k < NX * NY; k++) {
        if (h0[k]! > 0) surface = Math.max(surface, Math.abs(solver.h[k]! + bed[k]! - LEVEL));
        else if (solver.h[k]! > 0) wetToDry++;
      }
      const vel = maxSpeed(solver, 0);
      const dv = Math.abs(solver.volume() - v0) / v0;
      console.log(
        `[lake at rest] ${scheme}: t = ${fmt(solver.time)} s, ${steps} steps: max|u| = ${fmt(vel)} m/s, ` +
          `max|eta - eta0| = ${fmt(surface)} m, dry cells wetted: ${wetToDry}, |dV|/V = ${fmt(dv)}`,
      );
      expect(vel).toBeLessThan(tolVel);
      expect(surface).toBeLessThan(1e-12);
      expect(wetToDry).toBe(0);
      expect(dv).toBeLessThan(1e-13);
      solver.dispose();
    });
  }
});
