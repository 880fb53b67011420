/**
 * A mass-consistent wind over terrain, in the spirit of WindNinja's
 * conservation-of-mass solver, in depth-integrated (2D) form.
 *
 * The air moves in a layer between the terrain z and a flat rigid lid at
 * top = max(z) + lidDepth, thickness H = top - z. From an initial wind u0
 * (a coarse model's or stations' wind, spread over the grid) we seek the
 * wind u closest to it in the mass-weighted least-squares sense,
 * min sum H |u - u0|^2, subject to div(H u) = 0 (no air piles up or leaves
 * through the lid). The Lagrangian gives u = u0 + grad(lambda), with
 *   -div(H grad lambda) = div(H u0),
 * solved by conjugate gradients preconditioned with an aggregation
 * multigrid V-cycle (multigrid.ts). Air funnels
 * through gaps and speeds up over ridges, where the layer is thin.
 *
 * Boundaries: lambda = 0 on all four edge faces. The edges are open (air
 * enters and leaves through them), so the normal wind there may adjust
 * freely, as on WindNinja's inflow and outflow faces; the ground and the lid
 * are impermeable by construction of H. Nothing forces the net inflow to
 * equal u0's, so the mean speed over a ridge-crossing section is the one the
 * least-squares fit picks, not u0's.
 */
import { TerraError } from '../../../api/errors';
import { faceVelocities, fluxDivergence } from './faces';
import { applyFivePoint } from './five-point';
import { layerOperator } from './layer-operator';
import { AggregationMultigrid } from './multigrid';
import { pcg } from './pcg';

export interface WindGrid {
  nx: number;
  ny: number;
  /** Cell sizes (m). */
  dx: number;
  dy: number;
  /** Terrain elevation (m), row 0 north, no NaN. */
  terrain: Float32Array | Float64Array;
}

export interface WindProgress {
  iteration: number;
  relativeResidual: number;
  /** Rough share of the solve done (log of the residual against the tolerance). */
  fraction: number;
}

export interface WindOptions {
  /** Lid height above the highest terrain (m); default 1000. */
  lidDepth?: number;
  /** Stop when ||b - A lambda|| <= tolerance ||b||; default 1e-8. */
  tolerance?: number;
  /** Default 1000 (the multigrid-preconditioned solve takes tens). */
  maxIterations?: number;
  signal?: AbortSignal;
  onProgress?: (p: WindProgress) => void;
  /** Least wall time between progress reports, which are also when the solve yields to the event loop (ms); default 50. */
  progressIntervalMs?: number;
}

export interface WindResult {
  /** Eastward and northward wind at cell centres (mean of the two faces), m/s. */
  u: Float32Array;
  v: Float32Array;
  speed: Float32Array;
  /** Face-normal velocities (layout in faces.ts); div(H u) = 0 holds on these. */
  faceU: Float64Array;
  faceV: Float64Array;
  /** Layer thickness per cell (m) and the lid's elevation. */
  thickness: Float64Array;
  top: number;
  iterations: number;
  /** ||b - A lambda|| / ||b||. */
  relativeResidual: number;
  converged: boolean;
  /** Largest |div(H u)| (m/s) after and before the adjustment. */
  maxDivergence: number;
  initialMaxDivergence: number;
}

const DEFAULT_LID_DEPTH = 1000;

export async function solveMassConsistentWind(grid: WindGrid, u0: Float32Array | Float64Array, v0: Float32Array | Float64Array, options: WindOptions = {}): Promise<WindResult> {
  const { nx, ny, dx, dy, terrain } = grid;
  const n = nx * ny;
  const lidDepth = options.lidDepth ?? DEFAULT_LID_DEPTH;
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 1000;
  check(grid, u0, v0, lidDepth, tolerance, maxIterations);

  let top = -Infinity;
  for (let k = 0; k < n; k++) top = Math.max(top, terrain[k]!);
  top += lidDepth;
  const H = new Float64Array(n);
  for (let k = 0; k < n; k++) H[k] = top - terrain[k]!;

  const initial = faceVelocities(nx, ny, dx, dy, u0, v0, null);
  const b = fluxDivergence(nx, ny, dx, dy, H, initial.U, initial.V);
  const A = layerOperator(nx, ny, dx, dy, H);
  const mg = new AggregationMultigrid(A);
  const op = { apply: (x: Float64Array, out: Float64Array) => applyFivePoint(A, x, out), precondition: (r: Float64Array, out: Float64Array) => mg.precondition(r, out) };
  const logTol = Math.log(tolerance);
  const solved = await pcg(op, b, {
    tolerance,
    maxIterations,
    signal: options.signal,
    yieldMs: options.progressIntervalMs,
    onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, fraction: Math.min(1, Math.max(0, Math.log(p.relativeResidual) / logTol)) })),
  });

  const { U, V } = faceVelocities(nx, ny, dx, dy, u0, v0, solved.x);
  const div = fluxDivergence(nx, ny, dx, dy, H, U, V);
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  const speed = new Float32Array(n);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const k = r * nx + c;
      const f = r * (nx + 1) + c;
      const uc = 0.5 * (U[f]! + U[f + 1]!);
      const vc = 0.5 * (V[k]! + V[k + nx]!);
      u[k] = uc;
      v[k] = vc;
      speed[k] = Math.hypot(uc, vc);
    }
  }
  return {
    u,
    v,
    speed,
    faceU: U,
    faceV: V,
    thickness: H,
    top,
    iterations: solved.iterations,
    relativeResidual: solved.relativeResidual,
    converged: solved.converged,
    maxDivergence: maxAbs(div),
    initialMaxDivergence: maxAbs(b),
  };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function check(grid: WindGrid, u0: ArrayLike<number>, v0: ArrayLike<number>, lidDepth: number, tolerance: number, maxIterations: number): void {
  const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `wind: ${field}: ${problem}`, { field });
  const { nx, ny, dx, dy, terrain } = grid;
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) throw fail('grid', `size ${nx} x ${ny} is not a grid`);
  if (!(dx > 0 && dy > 0 && Number.isFinite(dx) && Number.isFinite(dy))) throw fail('grid', `cell size ${dx} x ${dy} m must be positive`);
  const n = nx * ny;
  for (const [name, a] of [['terrain', terrain], ['u', u0], ['v', v0]] as const) {
    if (a.length !== n) throw fail(name, `${a.length} values for ${nx} x ${ny} cells`);
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(a[k]!)) throw fail(name, `not a finite number at row ${Math.floor(k / nx)}, column ${k % nx}`);
    }
  }
  if (!(lidDepth > 0) || !Number.isFinite(lidDepth)) throw fail('lid_depth_m', `must be a positive number of metres, got ${lidDepth}`);
  if (!(tolerance > 0 && tolerance < 1)) throw fail('tolerance', `must be in (0, 1), got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw fail('max_iterations', `must be a positive integer, got ${maxIterations}`);
}
