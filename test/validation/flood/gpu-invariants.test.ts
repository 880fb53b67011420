// Invariants of the WGSL flood solver, through its fast path (advanceTo: dt,
// time and forcing on the GPU, one read-back per batch):
//   - a lake at rest over a bumpy, partly dry bed stays at rest in f32 (both schemes);
//   - the mass balance closes in a closed basin on real terrain with a per-cell
//     rain field that stops, a culvert inflow and a pump (both schemes), and the
//     fast path lands near the CPU reference run to the same time;
//   - dispose() destroys every GPU buffer the solver created (counted on the device);
//   - misuse gives TerraErrors.
// Run with a WebGPU adapter (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
// without a GPU); without one the suite fails unless TERRA_ALLOW_NO_GPU=1 (then it skips, loudly).
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { probeGpu } from '../../../src/compute/gpu';
import { getGpuDevice } from '../../../src/compute/gpu-device';
import { readGeoTiff } from '../../../src/io/geotiff';
import { createFloodSolver, type FloodScheme, type FloodSetup } from '../../../src/physics/flood';
import { createGpuFloodSolver, type GpuFloodSolver } from '../../../src/physics/flood/gpu';
import { boundaries, fmt, WALLS } from './helpers';

const probe = await probeGpu();
const noGpu = probe.available ? null : probe.reason;
const allowNoGpu = process.env.TERRA_ALLOW_NO_GPU === '1';
if (noGpu && allowNoGpu) console.warn(`\n[gpu] SKIPPING the GPU flood invariants: ${noGpu} (TERRA_ALLOW_NO_GPU=1)\n`);

describe('GPU adapter for the WGSL flood solver', () => {
  it.skipIf(allowNoGpu)('is available', () => {
    if (noGpu) {
      throw new Error(
        `No WebGPU adapter: ${noGpu}. Without a GPU run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ` +
          '(SwiftShader, Debian package chromium), or set TERRA_ALLOW_NO_GPU=1 to skip the GPU tests.',
      );
    }
  });
});

/** |volume - (in - out) - V0| / (in + V0), the CPU tests' measure. */
async function massError(solver: GpuFloodSolver, v0: number): Promise<number> {
  const { volumeIn, volumeOut } = solver.mass;
  return Math.abs((await solver.volume()) - (volumeIn - volumeOut) - v0) / (volumeIn + v0);
}

describe.skipIf(noGpu !== null)('GPU flood solver invariants', () => {
  describe('lake at rest over a bumpy, partly dry bed (64 x 48, islands, Manning 0.03)', () => {
    const NX = 64;
    const NY = 48;
    const LEVEL = 0.5;
    const bed = new Float64Array(NX * NY);
    const h0 = new Float64Array(NX * NY);
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        const z =
          0.25 * Math.sin(i / 4.1) * Math.cos(j / 3.3) +
          0.8 * Math.exp(-((i - 40) ** 2 + (j - 20) ** 2) / 30) +
          0.7 * Math.exp(-((i - 15) ** 2 + (j - 30) ** 2) / 12) +
          0.002 * ((i * 7919 + j * 104729) % 13);
        bed[j * NX + i] = z;
        h0[j * NX + i] = Math.max(0, LEVEL - z);
      }
    }
    for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
      it(`${scheme}: |u| < 1e-6 m/s after 1000 steps of advanceTo, no dry cell wetted`, { timeout: 300_000 }, async () => {
        const gpu = await createGpuFloodSolver({ nx: NX, ny: NY, dx: 1, dy: 1.3, bed, h0, manning: 0.03, scheme, cfl: 0.9, boundaries: WALLS });
        try {
          const v0 = await gpu.volume();
          const steps = await gpu.advanceTo(1000 * gpu.stableDt());
          await gpu.sync();
          let vel = 0;
          let surface = 0;
          let wetted = 0;
          for (let k = 0; k < NX * NY; k++) {
            const h = gpu.h[k]!;
            if (h > 0) vel = Math.max(vel, Math.abs(gpu.hu[k]! / h), Math.abs(gpu.hv[k]! / h));
            if (h0[k]! > 0) surface = Math.max(surface, Math.abs(h + bed[k]! - LEVEL));
            else if (h > 0) wetted++;
          }
          const dv = Math.abs((await gpu.volume()) - v0) / v0;
          console.log(
            `[gpu lake at rest] ${scheme}: ${steps} steps to t = ${fmt(gpu.time)} s: max|u| = ${fmt(vel)} m/s, ` +
              `max|eta - eta0| = ${fmt(surface)} m (f32 storage of h0: ~3e-8), dry cells wetted: ${wetted}, |dV|/V = ${fmt(dv)}`,
          );
          expect(steps).toBeGreaterThanOrEqual(1000);
          expect(vel).toBeLessThan(1e-6);
          expect(surface).toBeLessThan(1e-6);
          expect(wetted).toBe(0);
          expect(dv).toBeLessThan(1e-6);
        } finally {
          gpu.dispose();
        }
      });
    }
  });

  describe('mass balance on real terrain (Olinda DEM, 96 x 96 of 90 m), closed basin', () => {
    const N = 96;
    const MM_PER_H = 1 / 1000 / 3600;
    const END = 1800;
    let terrain: { nx: number; ny: number; dx: number; dy: number; bed: Float64Array };

    beforeAll(async () => {
      const dem = await readGeoTiff(fileURLToPath(new URL('../../../assets/sites/olinda/olinda_dem_utm25s.tif', import.meta.url)));
      const bed = new Float64Array(N * N);
      for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) bed[j * N + i] = dem.data[j * dem.georef.nx + 15 + i]!;
      terrain = { nx: N, ny: N, dx: dem.georef.dxMetres, dy: dem.georef.dyMetres, bed };
    });

    function setup(scheme: FloodScheme): FloodSetup {
      const h0 = new Float64Array(N * N);
      for (let k = 0; k < N * N; k++) h0[k] = Math.max(0, 2 - terrain.bed[k]!);
      return {
        ...terrain,
        h0,
        manning: 0.035,
        scheme,
        cfl: 0.9,
        boundaries: WALLS,
        // a 60-120 mm/h storm over the first 20 minutes on the lowland, heavier to the east, as a per-cell field
        rain: (t, out) => {
          if (t > 1200) return 0;
          for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) out[j * N + i] = terrain.bed[j * N + i]! < 10 ? (60 + (60 * i) / N) * MM_PER_H : 0;
          return out;
        },
        inflows: [
          { cell: 40 * N + 20, discharge: (t) => (t < 900 ? 20 : 0) }, // a culvert, m^3/s
          { cell: 60 * N + 70, discharge: () => -5 }, // a pump taking up to 5 m^3/s where there is water
        ],
      };
    }

    for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
      it(`${scheme}: |V - (in - out) - V0| / (in + V0) < 1e-5 in f32, and close to the CPU run`, { timeout: 300_000 }, async () => {
        const s = setup(scheme);
        const gpu = await createGpuFloodSolver(s);
        const cpu = createFloodSolver(s);
        try {
          const v0 = await gpu.volume();
          let worst = 0;
          let steps = 0;
          for (const t of [300, 900, 1200, 1500, END]) {
            steps += await gpu.advanceTo(t);
            expect(gpu.time).toBe(t);
            worst = Math.max(worst, await massError(gpu, v0));
          }
          const err = await massError(gpu, v0);
          while (cpu.time < END) cpu.step(END - cpu.time);
          await gpu.sync();
          let num = 0;
          let den = 0;
          let minDepth = Infinity;
          for (let k = 0; k < N * N; k++) {
            num += (gpu.h[k]! - cpu.h[k]!) ** 2;
            den += cpu.h[k]! ** 2;
            minDepth = Math.min(minDepth, gpu.h[k]!);
          }
          const dh = Math.sqrt(num / den);
          const { volumeIn, volumeOut, clipped } = gpu.mass;
          console.log(
            `[gpu mass] ${scheme} closed: ${steps} steps to ${fmt(gpu.time)} s (cpu ${cpu.steps}): V0 = ${fmt(v0)} m3, in = ${fmt(volumeIn)} ` +
              `(cpu ${fmt(cpu.mass.volumeIn)}), out (pump) = ${fmt(volumeOut)} (cpu ${fmt(cpu.mass.volumeOut)}); mass error = ${fmt(err)} ` +
              `(worst ${fmt(worst)}), clipped ${fmt(clipped)} m3, min depth ${fmt(minDepth)} m; depth vs CPU rel L2 = ${fmt(dh)}`,
          );
          expect(worst).toBeLessThan(1e-5);
          expect(minDepth).toBeGreaterThanOrEqual(0);
          expect(volumeOut).toBeGreaterThan(0); // the pump ran
          expect(volumeOut).toBeLessThanOrEqual(5 * END * (1 + 1e-6));
          // Near the CPU run, not equal to it: the dt sequences differ (f32 limiter; field-rain batches end
          // every 60 s and at the stops above, each with a short last step), and the CPU's storm ends within
          // +-dt/2 of 1200 s (rain sampled at step mid-times; inertial dt ~ 10 s: +-0.4 % of the rain).
          expect(Math.abs(volumeIn - cpu.mass.volumeIn) / cpu.mass.volumeIn).toBeLessThan(1e-2);
          expect(Math.abs(steps - cpu.steps) / cpu.steps).toBeLessThan(0.06);
          expect(dh).toBeLessThan(5e-3);
        } finally {
          gpu.dispose();
          cpu.dispose();
        }
      });
    }
  });

  describe('advanceTo on a dry slope under rain (the clock kernel bounds dt by the rain, as the CPU solver)', () => {
    const NX = 48;
    const NY = 32;
    for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
      it(`${scheme}: steps and depths follow the CPU run`, { timeout: 120_000 }, async () => {
        const bed = new Float64Array(NX * NY);
        for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) bed[j * NX + i] = 0.001 * 5 * (NY - j) + 0.2 * Math.sin(i / 5);
        const s: FloodSetup = {
          nx: NX,
          ny: NY,
          dx: 5,
          dy: 5,
          bed,
          h0: new Float64Array(NX * NY),
          manning: 0.05,
          scheme,
          cfl: 0.9,
          boundaries: boundaries({ type: 'wall' }, { type: 'wall' }, { type: 'wall' }, { type: 'open' }),
          rain: (t) => (100 / 3.6e6) * Math.min(1, t / 60),
        };
        const END = 900;
        const cpu = createFloodSolver(s);
        const gpu = await createGpuFloodSolver(s);
        try {
          while (cpu.time < END) cpu.step(END - cpu.time);
          const steps = await gpu.advanceTo(END);
          await gpu.sync();
          let num = 0;
          let den = 0;
          for (let k = 0; k < NX * NY; k++) {
            num += (gpu.h[k]! - cpu.h[k]!) ** 2;
            den += cpu.h[k]! ** 2;
          }
          const dh = Math.sqrt(num / den);
          console.log(`[gpu advanceTo] ${scheme} rain on a dry slope to ${END} s: ${steps} steps (cpu ${cpu.steps}), depth vs CPU rel L2 = ${fmt(dh)}`);
          expect(Math.abs(steps - cpu.steps)).toBeLessThanOrEqual(Math.max(2, 0.02 * cpu.steps));
          expect(dh).toBeLessThan(1e-3);
        } finally {
          gpu.dispose();
          cpu.dispose();
        }
      });
    }
  });

  describe('resources and misuse', () => {
    it('dispose() destroys every GPU buffer the solver created', { timeout: 120_000 }, async () => {
      const device = await getGpuDevice();
      const original = device.createBuffer;
      const live = new Set<GPUBuffer>();
      let created = 0;
      let destroyed = 0;
      // count on the device itself, not by the solver's own bookkeeping
      (device as { createBuffer: GPUDevice['createBuffer'] }).createBuffer = (descriptor: GPUBufferDescriptor) => {
        const buffer = original.call(device, descriptor);
        created++;
        live.add(buffer);
        const destroy = buffer.destroy.bind(buffer);
        (buffer as { destroy: () => void }).destroy = () => {
          if (live.delete(buffer)) destroyed++;
          destroy();
        };
        return buffer;
      };
      try {
        const n = 24;
        const bed = new Float64Array(n * n).map((_, k) => 0.01 * (k % n));
        const h0 = new Float64Array(n * n).map((_, k) => Math.max(0, 0.2 - bed[k]!));
        for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
          const before = created;
          const gpu = await createGpuFloodSolver({
            nx: n,
            ny: n,
            dx: 2,
            dy: 2,
            bed,
            h0,
            manning: 0.03,
            scheme,
            cfl: 0.9,
            boundaries: boundaries({ type: 'stage', stage: () => 0.25 }, { type: 'open' }, { type: 'wall' }, { type: 'wall' }),
            rain: () => 1e-5,
            inflows: [{ cell: 0, discharge: () => 0.1 }], // on the edge: the fv halo refill runs too
          });
          await gpu.step(1);
          await gpu.advanceTo(gpu.time + 5);
          await gpu.sync();
          await gpu.readMaxima();
          await gpu.volume();
          const stats = gpu.bufferStats();
          gpu.dispose();
          gpu.dispose(); // idempotent
          console.log(`[gpu dispose] ${scheme}: ${created - before} buffers created (${fmt(stats.bytes / 1024)} KiB), ${live.size} left after dispose()`);
          expect(created - before).toBeGreaterThan(10);
          expect(gpu.bufferStats().live).toBe(0);
          await expect(gpu.step(1)).rejects.toBeInstanceOf(TerraError);
        }
        expect(destroyed).toBe(created);
        expect(live.size).toBe(0);
      } finally {
        (device as { createBuffer: GPUDevice['createBuffer'] }).createBuffer = original;
      }
    });

    it('rejects bad setups and arguments with TerraErrors naming the field', async () => {
      const n = 8;
      const base: FloodSetup = {
        nx: n,
        ny: n,
        dx: 1,
        dy: 1,
        bed: new Float64Array(n * n),
        h0: new Float64Array(n * n).fill(0.1),
        manning: 0.03,
        scheme: 'fv',
        cfl: 0.9,
        boundaries: WALLS,
      };
      await expect(createGpuFloodSolver({ ...base, cfl: 2 })).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'cfl' } });
      await expect(createGpuFloodSolver(base, { arrivalDepth: -1 })).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'arrivalDepth' } });
      const gpu = await createGpuFloodSolver({ ...base, rain: () => -1 });
      try {
        await expect(gpu.step(0)).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'maxDt' } });
        await expect(gpu.step(1)).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'rain' } });
        await expect(gpu.advanceTo(Number.NaN)).rejects.toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'tEnd' } });
        expect(await gpu.advanceTo(-1)).toBe(0); // already past: nothing to do
      } finally {
        gpu.dispose();
      }
    });
  });
});
