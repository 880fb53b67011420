// The mass-consistent wind: over the real Jacksboro DEM the adjusted field
// is divergence-free (div(H u), the vertical speed it would force through
// the lid, below 1e-6 m/s from 7.6 m/s) and differs from the initial wind by a
// pure gradient (the least-squares optimality condition); over flat ground a
// divergence-free wind comes back unchanged; over a long ridge the air
// speeds up as the layer thins, as the 1D solution says.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import type { Raster } from '../../../src/core/raster';
import { readDem } from '../../../src/io/read-dem';
import { solveMassConsistentWind, type WindResult } from '../../../src/physics/atmosphere/wind/mass-consistent';

const JACKSBORO = resolve(__dirname, '../../../assets/sites/jacksboro/jacksboro_fault_dem.npz');

/** div(H u) per cell from the result's face velocities, written independently of the solver. */
function divergence(w: WindResult, nx: number, ny: number, dx: number, dy: number): Float64Array {
  const H = w.thickness;
  const out = new Float64Array(nx * ny);
  const hFace = (a: number, b: number | undefined) => (b === undefined ? H[a]! : (H[a]! + H[b]!) / 2);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      const west = hFace(k, c > 0 ? k - 1 : undefined) * w.faceU[r * (nx + 1) + c]!;
      const east = hFace(k, c < nx - 1 ? k + 1 : undefined) * w.faceU[r * (nx + 1) + c + 1]!;
      const north = hFace(k, r > 0 ? k - nx : undefined) * w.faceV[r * nx + c]!;
      const south = hFace(k, r < ny - 1 ? k + nx : undefined) * w.faceV[(r + 1) * nx + c]!;
      out[k] = (east - west) / dx + (north - south) / dy;
    }
  }
  return out;
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('mass-consistent wind over the Jacksboro DEM (403 x 344 cells, 236-1076 m)', () => {
  let dem: Raster;
  let w: WindResult;
  const U0 = 10;
  const V0 = 5;

  beforeAll(async () => {
    dem = await readDem(JACKSBORO);
    const n = dem.data.length;
    const { nx, ny, dxMetres, dyMetres } = dem.georef;
    w = await solveMassConsistentWind({ nx, ny, dx: dxMetres, dy: dyMetres, terrain: dem.data }, new Float32Array(n).fill(U0), new Float32Array(n).fill(V0));
  });

  it('is divergence-free: max |div(H u)| < 1e-6 m/s (from 7.6 m/s), relative residual < 1e-8', () => {
    const { nx, ny, dxMetres, dyMetres } = dem.georef;
    const div = divergence(w, nx, ny, dxMetres, dyMetres);
    const before = w.initialMaxDivergence;
    console.log(
      `[wind] Jacksboro ${nx} x ${ny}: ${w.iterations} PCG iterations, relative residual ${w.relativeResidual.toExponential(2)}, ` +
        `max |div(H u)| ${before.toExponential(2)} -> ${maxAbs(div).toExponential(2)} m/s, speed ${w.speed.reduce((a, b) => Math.min(a, b)).toFixed(2)}..${w.speed.reduce((a, b) => Math.max(a, b)).toFixed(2)} m/s (initial ${Math.hypot(U0, V0).toFixed(2)})`,
    );
    expect(w.converged).toBe(true);
    expect(w.relativeResidual).toBeLessThan(1e-8);
    expect(before).toBeGreaterThan(1);
    expect(maxAbs(div)).toBeLessThan(1e-6);
    expect(Math.abs(maxAbs(div) - w.maxDivergence)).toBeLessThan(1e-9);
    // The multigrid preconditioner needs tens of iterations (plain CG: hundreds).
    expect(w.iterations).toBeLessThan(40);
  });

  it('changes the initial wind by a gradient only (curl of u - u0 vanishes at every interior node)', () => {
    const { nx, ny, dxMetres: dx, dyMetres: dy } = dem.georef;
    // Initial face winds are uniform, so du on x-faces is faceU - U0, dv on y-faces faceV - V0.
    let curl = 0;
    let scale = 0;
    for (let r = 1; r < ny; r++) {
      for (let c = 1; c < nx; c++) {
        const duNorth = w.faceU[(r - 1) * (nx + 1) + c]! - U0;
        const duSouth = w.faceU[r * (nx + 1) + c]! - U0;
        const dvWest = w.faceV[r * nx + c - 1]! - V0;
        const dvEast = w.faceV[r * nx + c]! - V0;
        curl = Math.max(curl, Math.abs((dvEast - dvWest) / dx - (duNorth - duSouth) / dy));
        scale = Math.max(scale, Math.abs(dvEast - dvWest) / dx);
      }
    }
    expect(scale).toBeGreaterThan(1e-3); // the adjustment does vary
    expect(curl / scale).toBeLessThan(1e-9);
  });

  it('is speeded up over the ridges and slowed in the valleys', () => {
    const z = dem.data;
    let hi = 0;
    let lo = 0;
    for (let k = 1; k < z.length; k++) {
      if (z[k]! > z[hi]!) hi = k;
      if (z[k]! < z[lo]!) lo = k;
    }
    expect(w.speed[hi]!).toBeGreaterThan(w.speed[lo]!);
  });
});

describe('flat ground', () => {
  const nx = 60;
  const ny = 40;
  const grid = { nx, ny, dx: 100, dy: 80, terrain: new Float32Array(nx * ny).fill(250) };

  it('leaves a uniform wind exactly unchanged', async () => {
    const w = await solveMassConsistentWind(grid, new Float32Array(nx * ny).fill(7.5), new Float32Array(nx * ny).fill(-3));
    expect(w.iterations).toBe(0);
    expect(maxAbs(w.u.map((u) => u - 7.5))).toBe(0);
    expect(maxAbs(w.v.map((v) => v + 3))).toBe(0);
    expect(w.maxDivergence).toBe(0);
  });

  it('leaves a divergence-free rotating wind unchanged to round-off', async () => {
    // Solid rotation about the centre, 1e-3 rad/s: u = -omega y', v = omega x' (divergence-free, also discretely).
    const u0 = new Float64Array(nx * ny);
    const v0 = new Float64Array(nx * ny);
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        u0[r * nx + c] = -1e-3 * ((ny / 2 - r - 0.5) * grid.dy);
        v0[r * nx + c] = 1e-3 * ((c + 0.5 - nx / 2) * grid.dx);
      }
    }
    const w = await solveMassConsistentWind(grid, u0, v0);
    const change = Math.max(maxAbs(Array.from(w.u, (u, k) => u - u0[k]!)), maxAbs(Array.from(w.v, (v, k) => v - v0[k]!)));
    expect(w.initialMaxDivergence).toBeLessThan(1e-10);
    expect(change).toBeLessThan(1e-6); // float32 output of speeds up to 3 m/s: round-off
  });
});

describe('a long ridge across the wind', () => {
  // 400 m Gaussian ridge (sigma 400 m) across a 5 km x 20 km domain, 50 m cells, lid 500 m
  // above the crest: H = 900 m far from it, 500 m on the crest. Away from the north and
  // south edges the flow is 1D: the flux Q = H u is the same through every x-face and
  // least squares with lambda = 0 at both ends gives Q = u0 * sum(d_f) / sum(d_f / H_f),
  // a harmonic mean of the face thicknesses (d_f: the face's share of the length).
  const NX = 100;
  const NY = 400;
  const D = 50;
  const terrain = new Float64Array(NX * NY);
  for (let r = 0; r < NY; r++) for (let c = 0; c < NX; c++) terrain[r * NX + c] = 400 * Math.exp(-(((c + 0.5) * D - 2500) ** 2) / (2 * 400 ** 2));

  it('speeds up over the crest by H_upwind / H_crest (~1.8) and matches the 1D solution within 0.1 %', async () => {
    const w = await solveMassConsistentWind({ nx: NX, ny: NY, dx: D, dy: D, terrain }, new Float32Array(NX * NY).fill(10), new Float32Array(NX * NY), { lidDepth: 500 });
    const row = (NY / 2) * NX;
    const H = (c: number) => w.thickness[row + c]!;
    const hFace = (f: number) => (f === 0 ? H(0) : f === NX ? H(NX - 1) : (H(f - 1) + H(f)) / 2);
    let length = 0;
    let resistance = 0;
    for (let f = 0; f <= NX; f++) {
      const d = f === 0 || f === NX ? D / 2 : D;
      length += d;
      resistance += d / hFace(f);
    }
    const Q = (10 * length) / resistance;
    const predicted = (c: number) => (Q / hFace(c) + Q / hFace(c + 1)) / 2;
    const crest = NX / 2;
    const upwind = 2;
    console.log(
      `[wind] ridge: crest ${w.u[row + crest]!.toFixed(3)} m/s (1D ${predicted(crest).toFixed(3)}), upwind ${w.u[row + upwind]!.toFixed(3)} m/s (1D ${predicted(upwind).toFixed(3)}), ` +
        `speed-up ${(w.u[row + crest]! / w.u[row + upwind]!).toFixed(3)}, ${w.iterations} iterations`,
    );
    for (const c of [upwind, 25, crest, 75, NX - 3]) expect(Math.abs(w.u[row + c]! / predicted(c) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(w.v[row + crest]!)).toBeLessThan(1e-3);
    // Mass conservation: speed-up = H_upwind / H_crest, within 1 % (a cell-centre speed averages two faces).
    expect(Math.abs(w.u[row + crest]! / w.u[row + upwind]! / (H(upwind) / H(crest)) - 1)).toBeLessThan(0.01);
    expect(H(upwind) / H(crest)).toBeGreaterThan(1.79);
  });
});

describe('cancelling a solve', () => {
  it('stops with CANCELLED when the signal fires during the iterations', async () => {
    const dem = await readDem(JACKSBORO);
    const { nx, ny, dxMetres, dyMetres } = dem.georef;
    const controller = new AbortController();
    let reports = 0;
    const solve = solveMassConsistentWind({ nx, ny, dx: dxMetres, dy: dyMetres, terrain: dem.data }, new Float32Array(nx * ny).fill(10), new Float32Array(nx * ny).fill(5), {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        reports++;
        expect(p.fraction).toBeGreaterThanOrEqual(0);
        expect(p.fraction).toBeLessThanOrEqual(1);
        controller.abort();
      },
    });
    await expect(solve).rejects.toThrow(TerraError);
    await expect(solve).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(reports).toBe(1);
  });
});
