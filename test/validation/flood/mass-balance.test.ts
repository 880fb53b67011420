// Mass balance on real terrain (the Olinda sample DEM, 111 x 111 cells of 90 m):
// a closed basin with spatially varying rain and point sources, and a run with
// open and stage boundaries, for both schemes. The balance
// |volume - (in - out) - V0| / (in + V0) must stay below 1e-6 (it is at
// round-off level), depths never negative, nothing non-finite.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGeoTiff } from '../../../src/io/geotiff';
import { createFloodSolver, type FloodScheme, type FloodSetup } from '../../../src/physics/flood';
import { boundaries, fmt, massError, WALLS } from './helpers';

const DEM = fileURLToPath(new URL('../../../assets/sites/olinda/olinda_dem_utm25s.tif', import.meta.url));
const MM_PER_H = 1 / 1000 / 3600;

let terrain: { nx: number; ny: number; dx: number; dy: number; bed: Float64Array };

beforeAll(async () => {
  const dem = await readGeoTiff(DEM);
  terrain = {
    nx: dem.georef.nx,
    ny: dem.georef.ny,
    dx: dem.georef.dxMetres,
    dy: dem.georef.dyMetres,
    bed: Float64Array.from(dem.data),
  };
});

function setup(scheme: FloodScheme, bounds: FloodSetup['boundaries']): FloodSetup {
  const { nx, ny, bed } = terrain;
  const n = nx * ny;
  const h0 = new Float64Array(n);
  for (let k = 0; k < n; k++) h0[k] = Math.max(0, 0.5 - bed[k]!); // the lowest ground starts flooded
  return {
    ...terrain,
    h0,
    manning: 0.035,
    scheme,
    cfl: 0.9,
    boundaries: bounds,
    // 60-120 mm/h storm over the first 20 minutes, heavier to the east, as a per-cell field
    rain: (t, out) => {
      if (t > 1200) return 0;
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) out[j * nx + i] = (60 + (60 * i) / nx) * MM_PER_H;
      return out;
    },
    inflows: [
      { cell: 30 * nx + 40, discharge: (t) => (t < 1800 ? 20 : 0) }, // a culvert, m^3/s
      { cell: 70 * nx + 80, discharge: () => -5 }, // a pump taking up to 5 m^3/s where there is water
    ],
  };
}

function run(scheme: FloodScheme, bounds: FloodSetup['boundaries'], end: number) {
  const solver = createFloodSolver(setup(scheme, bounds));
  const v0 = solver.volume();
  let minDepth = Infinity;
  let finite = true;
  let worst = 0;
  while (solver.time < end) {
    solver.step(Math.min(30, end - solver.time));
    if (solver.steps % 25 === 0 || solver.time >= end) {
      for (let k = 0; k < solver.h.length; k++) {
        const h = solver.h[k]!;
        if (h < minDepth) minDepth = h;
        if (!Number.isFinite(h) || !Number.isFinite(solver.hu[k]!) || !Number.isFinite(solver.hv[k]!)) finite = false;
      }
      worst = Math.max(worst, massError(solver, v0));
    }
  }
  const result = { solver, v0, minDepth, finite, worst, err: massError(solver, v0) };
  return result;
}

describe('mass balance on real terrain (Olinda DEM)', () => {
  for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
    it(`${scheme}: closed basin with rain and point sources conserves water`, () => {
      const r = run(scheme, WALLS, 2400);
      const { volumeIn, volumeOut, clipped } = r.solver.mass;
      console.log(
        `[mass] ${scheme} closed: ${r.solver.steps} steps to ${fmt(r.solver.time)} s: V0 = ${fmt(r.v0)} m3, in = ${fmt(volumeIn)}, ` +
          `out (pump) = ${fmt(volumeOut)}, V = ${fmt(r.solver.volume())}; mass error = ${fmt(r.err)} (worst ${fmt(r.worst)}), ` +
          `min depth ${fmt(r.minDepth)} m, clipped ${fmt(clipped)} m3`,
      );
      expect(r.finite).toBe(true);
      expect(r.minDepth).toBeGreaterThanOrEqual(0);
      expect(r.worst).toBeLessThan(1e-6);
      expect(r.err).toBeLessThan(1e-10);
      expect(clipped / volumeIn).toBeLessThan(1e-9);
      expect(volumeOut).toBeGreaterThan(0); // the pump ran
      expect(volumeOut).toBeLessThanOrEqual(5 * r.solver.time + 1e-6);
      r.solver.dispose();
    });

    it(`${scheme}: open and stage boundaries: what leaves is booked in volumeOut`, () => {
      const tide = (t: number) => 0.3 + 0.4 * Math.sin((2 * Math.PI * t) / 3600);
      const r = run(scheme, boundaries({ type: 'open' }, { type: 'stage', stage: tide }, { type: 'open' }, { type: 'wall' }), 2400);
      const { volumeIn, volumeOut, clipped } = r.solver.mass;
      console.log(
        `[mass] ${scheme} open/stage: ${r.solver.steps} steps to ${fmt(r.solver.time)} s: V0 = ${fmt(r.v0)} m3, in = ${fmt(volumeIn)}, ` +
          `out = ${fmt(volumeOut)}, V = ${fmt(r.solver.volume())}; mass error = ${fmt(r.err)} (worst ${fmt(r.worst)}), ` +
          `min depth ${fmt(r.minDepth)} m, clipped ${fmt(clipped)} m3`,
      );
      expect(r.finite).toBe(true);
      expect(r.minDepth).toBeGreaterThanOrEqual(0);
      expect(r.worst).toBeLessThan(1e-6);
      expect(r.err).toBeLessThan(1e-10);
      expect(clipped / volumeIn).toBeLessThan(1e-9);
      // water really left through the edges, beyond what the pump took
      expect(volumeOut - 5 * r.solver.time).toBeGreaterThan(1e4);
      r.solver.dispose();
    });
  }
});

describe('rain on dry ground from the first step', () => {
  // A still, dry domain has no CFL limit; the rain bound on dt must stop the
  // first step from dumping a long step's rain at once and clipping the fluxes.
  it.each(['fv', 'inertial'] as const)('%s: stored water equals the rain that fell, with nothing clipped', (scheme) => {
    const nx = 30;
    const ny = 20;
    const bed = new Float64Array(nx * ny).map((_, i) => 0.02 * Math.abs((i % nx) - nx / 2));
    const wall = { type: 'wall' } as const;
    const rate = 0.2 / 3600; // 200 mm/h
    const solver = createFloodSolver({
      nx, ny, dx: 10, dy: 10, bed, h0: new Float64Array(nx * ny), manning: 0.03, scheme, cfl: 0.9,
      boundaries: { west: wall, east: wall, north: wall, south: wall },
      rain: () => rate,
    });
    while (solver.time < 600 - 1e-9) solver.step(600 - solver.time);
    const rained = rate * 600 * nx * ny * 100;
    console.log(`[rain-dry ${scheme}] ${solver.steps} steps, stored ${solver.volume().toFixed(6)} m3 of ${rained} m3, clipped ${solver.mass.clipped}`);
    expect(Math.abs(solver.volume() - rained) / rained).toBeLessThan(1e-9);
    expect(solver.mass.clipped).toBeLessThan(1e-9 * rained);
    solver.dispose();
  });
});
