// The WebAssembly kernels are the TypeScript kernels compiled another way:
// same operations in the same order on the same cube-root tables, so every
// depth and discharge must agree bit for bit, on 1 and 2 threads, with a rain
// field, open, stage and wall boundaries on real terrain.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDem } from '../../../src/io/read-dem';
import { createFloodSolver, type FloodKernels, type FloodScheme } from '../../../src/physics/flood';
import { boundaries } from './helpers';

const DEM = resolve(__dirname, '../../../assets/sites/jacksboro/jacksboro_fault_dem.npz');
const NY = 70;

/** A window NX cells wide: even and odd widths take the SIMD kernels' pair loops with and without a scalar tail. */
async function window(NX: number) {
  const dem = await readDem(DEM);
  const bed = new Float64Array(NX * NY);
  for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) bed[j * NX + i] = dem.data[(120 + j) * dem.georef.nx + 150 + i]!;
  return { NX, bed, dx: dem.georef.dxMetres, dy: dem.georef.dyMetres };
}

function run(scheme: FloodScheme, kernels: FloodKernels, threads: number, w: Awaited<ReturnType<typeof window>>) {
  const NX = w.NX;
  const minBed = w.bed.reduce((a, b) => Math.min(a, b), Infinity);
  const h0 = w.bed.map((z) => Math.max(0, minBed + 15 - z)); // a lake in the valley, dry slopes around it
  const solver = createFloodSolver({
    nx: NX,
    ny: NY,
    dx: w.dx,
    dy: w.dy,
    bed: w.bed,
    h0,
    manning: 0.04,
    scheme,
    cfl: 0.9,
    threads,
    kernels,
    // 80 mm/h growing towards the east: a per-cell field
    rain: (t, out) => {
      for (let k = 0; k < out.length; k++) out[k] = ((80 + (k % NX)) / 3.6e6) * (1 + 0.1 * Math.sin(t / 60));
      return out;
    },
    boundaries: boundaries({ type: 'open' }, { type: 'stage', stage: (t) => minBed + 10 + t / 100 }, { type: 'wall' }, { type: 'open' }),
  });
  for (let s = 0; s < 300; s++) solver.step(1e9);
  const result = { kernels: solver.kernels, h: Float64Array.from(solver.h), hu: Float64Array.from(solver.hu), hv: Float64Array.from(solver.hv), mass: { ...solver.mass }, time: solver.time };
  solver.dispose();
  return result;
}

describe('WebAssembly kernels match the TypeScript kernels bit for bit', () => {
  it.each([
    ['fv', 90],
    ['fv', 91],
    ['inertial', 90],
  ] as [FloodScheme, number][])('%s, %i columns: 300 steps, 1 and 2 threads', async (scheme, nx) => {
    const w = await window(nx);
    const ts = run(scheme, 'typescript', 1, w);
    expect(ts.kernels).toBe('typescript');
    expect(ts.h.some((h) => h > 0.01)).toBe(true);
    for (const threads of [1, 2]) {
      const wasm = run(scheme, 'wasm', threads, w);
      expect(wasm.kernels).toBe('wasm');
      expect(wasm.time).toBe(ts.time);
      for (const f of ['h', 'hu', 'hv'] as const) {
        const diff = wasm[f].findIndex((v, k) => !Object.is(v, ts[f][k]));
        expect(diff, `${f} differs first at cell ${diff} (${threads} threads)`).toBe(-1);
      }
      // volumes are summed per band, so two threads round the sums differently
      if (threads === 1) expect(wasm.mass).toEqual(ts.mass);
      else for (const key of ['volumeIn', 'volumeOut', 'clipped'] as const) expect(Math.abs(wasm.mass[key] - ts.mass[key])).toBeLessThanOrEqual(1e-12 * ts.mass.volumeIn);
    }
  });
});
