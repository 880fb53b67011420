// The WGSL solver against the CPU reference on real terrain (the Olinda sample
// DEM, 90 m cells, cropped to 96 x 96), 1000 steps of each scheme with one dt
// sequence shared by both (min of the two solvers' stable steps, passed as
// maxDt to both): relative L2 difference of depth < 1e-4 (f32 against f64).
//
//   fv:       still water at 4 m over the coastal plain (84 % of the crop is dry
//             hills), uniform rain of 50 mm/h wetting the hills, walls west /
//             north / south, open east. Also the GPU's max-depth map and
//             arrival times against maxima tracked from the CPU state.
//   inertial: a surface tilted from 6 m (west) to 2 m (east) draining through
//             the open east side, rain of 50 mm/h on the flooded cells as a
//             per-cell field. (Rain on the dry 30-70 m hills makes thin
//             supercritical sheet flow, outside what local inertia is for: there
//             the CPU solver alone turns a 1e-7 perturbation of h0 into 2.6e-3
//             in 1000 steps, so no f32 port can follow it; fv stays at 1e-8.)
//
// Run with a WebGPU adapter: on a machine without a GPU,
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx vitest run test/validation/flood/gpu-crosscheck.test.ts
// Without an adapter the suite fails, unless TERRA_ALLOW_NO_GPU=1 (then it skips, loudly).
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeGpu } from '../../../src/compute/gpu';
import { readGeoTiff } from '../../../src/io/geotiff';
import { createFloodSolver, type FloodScheme, type FloodSetup } from '../../../src/physics/flood';
import { createGpuFloodSolver } from '../../../src/physics/flood/gpu';
import { fmt } from './helpers';

const probe = await probeGpu();
const noGpu = probe.available ? null : probe.reason;
const allowNoGpu = process.env.TERRA_ALLOW_NO_GPU === '1';
if (noGpu && allowNoGpu) console.warn(`\n[gpu] SKIPPING the GPU cross-check: ${noGpu} (TERRA_ALLOW_NO_GPU=1)\n`);

describe('GPU adapter for the WGSL flood solver', () => {
  it.skipIf(allowNoGpu)('is available', () => {
    if (noGpu) {
      throw new Error(
        `No WebGPU adapter: ${noGpu}. Without a GPU run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ` +
          '(SwiftShader, Debian package chromium), or set TERRA_ALLOW_NO_GPU=1 to skip the GPU tests.',
      );
    }
    console.log(`[gpu] adapter: ${probe.available ? `${probe.info.vendor} ${probe.info.description}${probe.info.software ? ' (software)' : ''}` : ''}`);
  });
});

const DEM = fileURLToPath(new URL('../../../assets/sites/olinda/olinda_dem_utm25s.tif', import.meta.url));
const N = 96;
const MM_PER_H = 1 / 1000 / 3600;
const STEPS = 1000;
const ARRIVAL = 0.01;

let terrain: { nx: number; ny: number; dx: number; dy: number; bed: Float64Array };

beforeAll(async () => {
  const dem = await readGeoTiff(DEM);
  const nx0 = dem.georef.nx;
  const bed = new Float64Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) bed[j * N + i] = dem.data[j * nx0 + 15 + i]!; // columns 15..110: hills and coast
  terrain = { nx: N, ny: N, dx: dem.georef.dxMetres, dy: dem.georef.dyMetres, bed };
});

function setup(scheme: FloodScheme): FloodSetup {
  const { bed } = terrain;
  const level = (k: number) => (scheme === 'fv' ? 4 : 4 + 4 * (0.5 - (k % N) / N));
  const h0 = new Float64Array(N * N);
  for (let k = 0; k < N * N; k++) h0[k] = Math.max(0, level(k) - bed[k]!);
  return {
    ...terrain,
    h0,
    manning: 0.035,
    scheme,
    cfl: 0.9,
    boundaries: { west: { type: 'wall' }, east: { type: 'open' }, north: { type: 'wall' }, south: { type: 'wall' } },
    rain:
      scheme === 'fv'
        ? () => 50 * MM_PER_H
        : (_t, out) => {
            for (let k = 0; k < N * N; k++) out[k] = bed[k]! < level(k) ? 50 * MM_PER_H : 0;
            return out;
          },
  };
}

function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += (a[k]! - b[k]!) ** 2;
    den += b[k]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe.skipIf(noGpu !== null)('GPU flood solver against the CPU reference (Olinda DEM, 96 x 96, 1000 steps, shared dt)', () => {
  for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
    it(`${scheme}: relative L2 difference of depth < 1e-4`, { timeout: 600_000 }, async () => {
      const s = setup(scheme);
      let dry0 = 0;
      for (let k = 0; k < N * N; k++) if (s.h0[k]! === 0) dry0++;
      const cpu = createFloodSolver(s);
      const gpu = await createGpuFloodSolver(s, { arrivalDepth: ARRIVAL });
      // maxima of the CPU state, tracked after every step like the GPU's
      const maxDepth = Float64Array.from(s.h0);
      const arrival = new Float64Array(N * N).map((_, k) => (s.h0[k]! > ARRIVAL ? 0 : NaN));
      let maxDt = 0;
      let cpuMs = 0;
      let gpuMs = 0;
      try {
        const v0 = await gpu.volume();
        for (let n = 0; n < STEPS; n++) {
          const dt = Math.min(cpu.stableDt(), gpu.stableDt());
          let t0 = performance.now();
          const dtCpu = cpu.step(dt);
          cpuMs += performance.now() - t0;
          t0 = performance.now();
          const dtGpu = await gpu.step(dt);
          gpuMs += performance.now() - t0;
          expect(dtGpu).toBe(dtCpu);
          maxDt = Math.max(maxDt, dtCpu);
          for (let k = 0; k < N * N; k++) {
            const h = cpu.h[k]!;
            if (h > maxDepth[k]!) maxDepth[k] = h;
            if (Number.isNaN(arrival[k]!) && h > ARRIVAL) arrival[k] = cpu.time;
          }
        }
        await gpu.sync();
        const dh = relL2(gpu.h, cpu.h);
        let maxAbs = 0;
        for (let k = 0; k < N * N; k++) maxAbs = Math.max(maxAbs, Math.abs(gpu.h[k]! - cpu.h[k]!));
        const dq = relL2(
          Float64Array.from({ length: 2 * N * N }, (_, k) => (k < N * N ? gpu.hu[k]! : gpu.hv[k - N * N]!)),
          Float64Array.from({ length: 2 * N * N }, (_, k) => (k < N * N ? cpu.hu[k]! : cpu.hv[k - N * N]!)),
        );
        const m = await gpu.readMaxima();
        const dMax = relL2(m.maxDepth, maxDepth);
        let arrivalOff = 0;
        for (let k = 0; k < N * N; k++) {
          const a = m.arrival[k]!;
          const b = arrival[k]!;
          const same = Number.isNaN(a) ? Number.isNaN(b) : !Number.isNaN(b) && Math.abs(a - b) <= maxDt * 1.001 + 1e-3;
          if (!same) arrivalOff++;
        }
        const { volumeIn, volumeOut } = gpu.mass;
        const massErr = Math.abs((await gpu.volume()) - (volumeIn - volumeOut) - v0) / (volumeIn + v0);
        const cpuMass = cpu.mass;
        console.log(
          `[gpu x cpu] ${scheme}: ${STEPS} steps to t = ${fmt(cpu.time)} s (${dry0} of ${N * N} cells dry at t = 0): ` +
            `depth rel L2 = ${fmt(dh)}, max |dh| = ${fmt(maxAbs)} m; (hu, hv) rel L2 = ${fmt(dq)}; max-depth map rel L2 = ${fmt(dMax)}; ` +
            `arrival times off by > 1 step: ${arrivalOff} cells; volume in ${fmt(volumeIn)} (cpu ${fmt(cpuMass.volumeIn)}), ` +
            `out ${fmt(volumeOut)} (cpu ${fmt(cpuMass.volumeOut)}) m3; GPU mass error ${fmt(massErr)}; ` +
            `ms/step: cpu ${fmt(cpuMs / STEPS)}, gpu ${fmt(gpuMs / STEPS)} (${probe.available && probe.info.software ? 'SwiftShader' : 'GPU'}, step() with one read-back each)`,
        );
        expect(gpu.time).toBeCloseTo(cpu.time, 9);
        expect(dh).toBeLessThan(1e-4);
        expect(dq).toBeLessThan(1e-3);
        expect(dMax).toBeLessThan(1e-4);
        expect(arrivalOff).toBeLessThanOrEqual(N * N * 0.005);
        expect(massErr).toBeLessThan(1e-5);
        expect(Math.abs(volumeOut - cpuMass.volumeOut) / cpuMass.volumeOut).toBeLessThan(1e-3);
      } finally {
        gpu.dispose();
        cpu.dispose();
      }
    });
  }
});

describe.skipIf(noGpu !== null)('GPU flood solver against the CPU reference: rain on dry ground (dt bound by the rain)', () => {
  // A dry slope (48 x 32 cells of 5 m) under rain ramping up over a minute: at first only the rain
  // bound limits dt (a dry, still domain has no CFL limit), then the runoff's waves. Walls, open south
  // side. fv: 1 % slope, 200 mm/h, n = 0.03. inertial: 0.1 %, 100 mm/h, n = 0.05 (on the 1 % slope the
  // CPU inertial solver alone turns a 1e-7 change of the rain into 6e-2 in 300 steps: thin sheet
  // flow is outside its regime; fv: 6e-8; at 0.1 % the inertial one stays at 8e-8).
  const SLOPE: Record<FloodScheme, [number, number, number]> = { fv: [0.01, 200, 0.03], inertial: [0.001, 100, 0.05] };
  const NX = 48;
  const NY = 32;
  for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
    it(`${scheme}: the same dt sequence and depths within 1e-4 after 300 steps`, { timeout: 300_000 }, async () => {
      const [slope, mmPerH, manning] = SLOPE[scheme];
      const bed = new Float64Array(NX * NY);
      for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) bed[j * NX + i] = slope * 5 * (NY - j) + 0.2 * Math.sin(i / 5);
      const s: FloodSetup = {
        nx: NX,
        ny: NY,
        dx: 5,
        dy: 5,
        bed,
        h0: new Float64Array(NX * NY),
        manning,
        scheme,
        cfl: 0.9,
        boundaries: { west: { type: 'wall' }, east: { type: 'wall' }, north: { type: 'wall' }, south: { type: 'open' } },
        rain: (t) => mmPerH * MM_PER_H * Math.min(1, t / 60),
      };
      const cpu = createFloodSolver(s);
      const gpu = await createGpuFloodSolver(s);
      try {
        const first = [cpu.step(1e9), await gpu.step(1e9)];
        expect(first[1]).toBe(first[0]);
        let rainBound = 1;
        for (let n = 1; n < 300; n++) {
          const dt = Math.min(cpu.stableDt(), gpu.stableDt(), 1e9);
          const dtCpu = cpu.step(dt);
          expect(await gpu.step(dt)).toBe(dtCpu);
          if (dtCpu < dt) rainBound++;
        }
        await gpu.sync();
        const dh = relL2(gpu.h, cpu.h);
        console.log(
          `[gpu x cpu] ${scheme} rain on a dry ${slope * 100} % slope: first dt ${fmt(first[0]!)} s (rain bound), ${rainBound} of 300 steps bound by the rain, ` +
            `t = ${fmt(cpu.time)} s, depth rel L2 = ${fmt(dh)}, out ${fmt(gpu.mass.volumeOut)} (cpu ${fmt(cpu.mass.volumeOut)}) m3`,
        );
        expect(Number.isFinite(first[0]!)).toBe(true);
        expect(dh).toBeLessThan(1e-4);
      } finally {
        gpu.dispose();
        cpu.dispose();
      }
    });
  }
});
