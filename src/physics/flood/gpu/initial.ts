/**
 * The GPU solver's initial state, made by the CPU reference code (shared, not
 * copied): validateSetup, a one-band CPU context, then fvAllPrimitives (dry
 * momentum zeroed, primitives and halo of set A, the first wave-speed limit)
 * or initialFaceFlows (inertial face flows and h u, h v), in the order of the
 * CPU solver's constructor (../solver.ts). The GPU starts from these arrays
 * rounded to f32 and shifted by zRef (see below).
 *
 * zRef: the GPU stores bed and surface minus zRef, the median water surface of
 * the wet cells (or the lowest bed when all is dry). The equations only see
 * differences of eta and z, so the shift changes nothing but f32 round-off:
 * it keeps eta small where the water is (a lake at 450 m would otherwise carry
 * only ~5 significant digits of depth in eta).
 */
import { GRAVITY, SIDES } from '../constants';
import { createContext, type ContextSpec, type FvContext, type InertialContext } from '../context';
import { fvAllPrimitives } from '../fv/stepper';
import { velocityFactor } from '../fv/velocity';
import { createGrid, type FloodGrid } from '../grid';
import { initialFaceFlows } from '../inertial/stepper';
import { allocateControl, allocateFields, fvLayout, inertialLayout, P_STAGE } from '../state';
import type { FloodSetup } from '../types';
import { stageAt, validateSetup, type ValidSetup } from '../validate';

export interface InitialState {
  valid: ValidSetup;
  grid: FloodGrid;
  ctx: FvContext | InertialContext;
  zRef: number;
  /** fv: largest (|u|+c)/dx + (|v|+c)/dy of cells and ghosts; inertial: largest depth. */
  limiter: number;
  /** Lowest bed along each edge (SIDES order), for the inertial dt with a stage. */
  edgeMinBed: number[];
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

export function initialState(setup: FloodSetup): InitialState {
  const valid = validateSetup(setup);
  const { nx, ny, dx, dy } = setup;
  const grid = createGrid(nx, ny, dx, dy);
  const spec: ContextSpec = { scheme: setup.scheme, nx, ny, dx, dy, tol: valid.tol, kinds: valid.kinds, cfl: setup.cfl, threads: 1 };
  const hasRain = setup.rain !== undefined;
  const fields = allocateFields(setup.scheme === 'fv' ? fvLayout(grid, hasRain) : inertialLayout(grid, hasRain), { shared: false, memory: false });
  const ctx = createContext(spec, fields, allocateControl(1, false));
  const A = ctx.arrays;
  const n = valid.n;
  A.z.set(setup.bed);
  if (typeof setup.manning === 'number') A.gn2.fill(GRAVITY * setup.manning * setup.manning);
  else for (let k = 0; k < n; k++) A.gn2[k] = GRAVITY * setup.manning[k]! * setup.manning[k]!;
  A.h.set(setup.h0);
  const edgeMinBed = [0, 1, 2, 3].map((s) => {
    let m = Infinity;
    const len = s < 2 ? ny : nx;
    for (let q = 0; q < len; q++) {
      const k = s === 0 ? q * nx : s === 1 ? q * nx + nx - 1 : s === 2 ? q : (ny - 1) * nx + q;
      m = Math.min(m, A.z[k]!);
    }
    return m;
  });
  for (let s = 0; s < 4; s++) {
    const fn = valid.stages[s];
    ctx.control.params[P_STAGE + s] = fn ? stageAt(SIDES[s]!, fn, 0) : 0;
  }
  let limiter: number;
  if (setup.scheme === 'fv') {
    for (let k = 0; k < n; k++) {
      A.hu[k] = setup.u0 ? A.h[k]! * setup.u0[k]! : 0;
      A.hv[k] = setup.v0 ? A.h[k]! * setup.v0[k]! : 0;
    }
    limiter = fvAllPrimitives(ctx as FvContext);
  } else {
    initialFaceFlows(ctx as InertialContext, setup.u0, setup.v0);
    limiter = 0;
    for (let k = 0; k < n; k++) if (A.h[k]! > limiter) limiter = A.h[k]!;
  }
  const wet: number[] = [];
  let minBed = Infinity;
  for (let k = 0; k < n; k++) {
    if (A.h[k]! > valid.tol) wet.push(A.h[k]! + A.z[k]!);
    if (A.z[k]! < minBed) minBed = A.z[k]!;
  }
  const zRef = Math.fround(wet.length ? median(wet) : minBed); // f32-exact, so z - zRef and h round alike
  return { valid, grid, ctx, zRef, limiter, edgeMinBed };
}

/** Initial maxima per cell: (depth, speed, |q|, arrival time 0 where deeper than arrivalDepth, else -1). */
export function initialMaxima(ctx: FvContext | InertialContext, arrivalDepth: number): Float32Array {
  const { h, hu, hv } = ctx.arrays;
  const out = new Float32Array(4 * h.length);
  for (let k = 0; k < h.length; k++) {
    const q = Math.hypot(hu[k]!, hv[k]!);
    out[4 * k] = h[k]!;
    out[4 * k + 1] = q * velocityFactor(h[k]!, ctx.tol, ctx.eps4);
    out[4 * k + 2] = q;
    out[4 * k + 3] = h[k]! > arrivalDepth ? 0 : -1;
  }
  return out;
}
