/**
 * The flood solver: owns the state, the clock and the mass balance, and runs
 * the band program of its scheme on one or more threads. Sources that need
 * the caller's functions (boundary stages, rain, point inflows) are evaluated
 * here on the main thread and handed to the bands as step parameters.
 *
 * Per step: dt = min(maxDt, stable dt); stage values (fv: at t + dt, the time
 * the refilled ghosts stand for; inertial: at t); rain at t + dt/2, applied
 * inside the step; the step on all bands; point inflows at t + dt/2 as a
 * split source afterwards; the balance and the NaN check.
 */
import { TerraError } from '../../api/errors';
import { fillFvHalo } from './boundaries/fv-halo';
import { GRAVITY, SIDES } from './constants';
import { createContext, type ContextSpec, type FvContext, type InertialContext } from './context';
import { fvAllPrimitives, fvCellPrimitives, fvStableDt } from './fv/stepper';
import { fvScratchLength } from './fv/sweep';
import { createGrid, splitBands, type Band, type FloodGrid } from './grid';
import { inertialStableDt, initialFaceFlows } from './inertial/stepper';
import { inertialScratchLength } from './inertial/sweep';
import { createBandProgram, type BandProgram } from './program';
import {
  allocateControl,
  allocateFields,
  fvLayout,
  inertialLayout,
  P_DT,
  P_RAIN,
  P_RAIN_FIELD,
  P_STAGE,
  P_TIME,
  R_BAD,
  R_CLIPPED,
  R_IN,
  R_OUT,
  R_SPEED,
  RESULTS_STRIDE,
} from './state';
import { ThreadPool } from './threads/pool';
import type { FloodKernels, FloodScheme, FloodSetup, FloodSolver, MassBalance } from './types';
import { stageAt, validateSetup } from './validate';

const noBarrier = () => undefined;

export class FloodSolverImpl implements FloodSolver {
  readonly scheme: FloodScheme;
  readonly kernels: FloodKernels;
  readonly nx: number;
  readonly ny: number;
  private readonly grid: FloodGrid;
  private readonly ctx: FvContext | InertialContext;
  private readonly program: BandProgram;
  private readonly pool: ThreadPool | null;
  private readonly bands: Band[];
  private readonly stages: (((t: number) => number) | undefined)[];
  /** Lowest bed along each edge (for the inertial time step with a stage). */
  private readonly edgeMinBed: number[];
  private readonly rain: FloodSetup['rain'];
  /** Largest rain rate (m/s) last written to the step parameters. */
  private rainMax = 0;
  private readonly inflows: NonNullable<FloodSetup['inflows']>;
  private readonly inflowOnEdge: boolean;
  private readonly inflowRates: Float64Array;
  private readonly balance = { volumeIn: 0, volumeOut: 0, clipped: 0 };
  private readonly cfl: number;
  private readonly tol: number;
  /** fv: the largest (|u|+c)/dx + (|v|+c)/dy; inertial: the largest depth. Of the current state. */
  private limiter = 0;
  private t = 0;
  private n = 0;
  private disposed = false;

  constructor(setup: FloodSetup) {
    const valid = validateSetup(setup);
    const { nx, ny, dx, dy } = setup;
    this.scheme = setup.scheme;
    this.nx = nx;
    this.ny = ny;
    this.cfl = setup.cfl;
    this.tol = valid.tol;
    this.grid = createGrid(nx, ny, dx, dy);
    this.stages = valid.stages;
    this.rain = setup.rain;
    this.inflows = [...(setup.inflows ?? [])];
    this.inflowRates = new Float64Array(this.inflows.length);
    this.inflowOnEdge = this.inflows.some(({ cell }) => {
      const i = cell % nx;
      const j = Math.floor(cell / nx);
      return i < 2 || i >= nx - 2 || j < 2 || j >= ny - 2;
    });
    const threads = valid.threads;
    const spec: ContextSpec = { scheme: setup.scheme, nx, ny, dx, dy, tol: valid.tol, kinds: valid.kinds, cfl: setup.cfl, threads };
    const shared = threads > 1;
    const hasRain = setup.rain !== undefined;
    const layout =
      setup.scheme === 'fv'
        ? fvLayout(this.grid, hasRain, threads * fvScratchLength(nx))
        : inertialLayout(this.grid, hasRain, threads * inertialScratchLength(nx));
    const fields = allocateFields(layout, { shared, memory: (setup.kernels ?? 'wasm') === 'wasm' });
    this.kernels = fields.kind === 'memory' ? 'wasm' : 'typescript';
    const control = allocateControl(threads, shared);
    this.ctx = createContext(spec, fields, control);
    this.bands = threads > 1 ? splitBands(ny, threads) : [{ index: 0, j0: 0, j1: ny }];

    const A = this.ctx.arrays;
    A.z.set(setup.bed);
    const n = valid.n;
    if (typeof setup.manning === 'number') A.gn2.fill(GRAVITY * setup.manning * setup.manning);
    else for (let k = 0; k < n; k++) A.gn2[k] = GRAVITY * setup.manning[k]! * setup.manning[k]!;
    A.h.set(setup.h0);
    this.edgeMinBed = [0, 1, 2, 3].map((s) => {
      let m = Infinity;
      const len = s < 2 ? ny : nx;
      for (let q = 0; q < len; q++) {
        const k = s === 0 ? q * nx : s === 1 ? q * nx + nx - 1 : s === 2 ? q : (ny - 1) * nx + q;
        m = Math.min(m, A.z[k]!);
      }
      return m;
    });
    const params = this.ctx.control.params;
    this.writeStages(0);
    if (setup.scheme === 'fv') {
      for (let k = 0; k < n; k++) {
        A.hu[k] = setup.u0 ? A.h[k]! * setup.u0[k]! : 0;
        A.hv[k] = setup.v0 ? A.h[k]! * setup.v0[k]! : 0;
      }
      this.limiter = fvAllPrimitives(this.ctx as FvContext);
    } else {
      initialFaceFlows(this.ctx as InertialContext, setup.u0, setup.v0);
      this.limiter = maxOf(A.h);
    }
    params[P_DT] = 0;
    this.program = createBandProgram(this.ctx, 0);
    this.pool = threads > 1 ? new ThreadPool(spec, fields, control, this.bands) : null;
  }

  get time(): number {
    return this.t;
  }
  get steps(): number {
    return this.n;
  }
  get h(): Float64Array {
    return this.ctx.arrays.h;
  }
  get hu(): Float64Array {
    return this.ctx.arrays.hu;
  }
  get hv(): Float64Array {
    return this.ctx.arrays.hv;
  }
  get mass(): MassBalance {
    return { ...this.balance };
  }

  stableDt(): number {
    if (this.scheme === 'fv') return fvStableDt(this.cfl, this.limiter);
    let hMax = this.limiter;
    for (let s = 0; s < 4; s++) {
      const fn = this.stages[s];
      if (fn) hMax = Math.max(hMax, stageAt(SIDES[s]!, fn, this.t) - this.edgeMinBed[s]!);
    }
    const { dx, dy } = this.grid;
    return inertialStableDt(this.cfl, dx, dy, hMax, this.tol);
  }

  step(maxDt: number): number {
    if (this.disposed) throw new TerraError('INTERNAL', 'flood solver: step() after dispose()');
    if (typeof maxDt !== 'number' || !(maxDt > 0) || !Number.isFinite(maxDt)) {
      throw new TerraError('INVALID_PARAMS', `flood step: maxDt must be a finite number > 0, got ${String(maxDt)}`, { field: 'maxDt' });
    }
    let dt = Math.min(maxDt, this.stableDt());
    const t = this.t;
    const params = this.ctx.control.params;
    let rainVolume = this.writeRain(t + 0.5 * dt, dt);
    // Rain wets dry ground within the step, and the waves it makes are not in
    // the CFL limit above (a still, dry domain has no limit at all). Bound dt
    // so that even water from rain alone obeys the limit:
    // dt * 2 sqrt(g r dt) / d <= 1/2  =>  dt <= (d / (4 sqrt(g r)))^(2/3).
    const rainDt = this.rainLimitedDt();
    if (rainDt < dt) {
      dt = rainDt;
      rainVolume = this.writeRain(t + 0.5 * dt, dt);
    }
    params[P_DT] = dt;
    params[P_TIME] = t;
    this.writeStages(this.scheme === 'fv' ? t + dt : t);
    this.readInflows(t + 0.5 * dt); // every caller function runs before the state changes

    if (this.pool) this.pool.run(this.program);
    else this.program(this.bands[0]!, noBarrier);

    const res = this.ctx.control.results;
    let vin = 0;
    let vout = 0;
    let clipped = 0;
    let bad = 0;
    let limiter = 0;
    for (let b = 0; b < this.bands.length; b++) {
      const o = b * RESULTS_STRIDE;
      vin += res[o + R_IN]!;
      vout += res[o + R_OUT]!;
      clipped += res[o + R_CLIPPED]!;
      bad += res[o + R_BAD]!;
      limiter = Math.max(limiter, res[o + R_SPEED]!);
    }
    if (bad || !Number.isFinite(limiter)) {
      throw new TerraError('INTERNAL', `flood solver (${this.scheme}): non-finite depth or velocity at t = ${t + dt} s (step ${this.n + 1})`);
    }
    this.limiter = limiter;
    this.balance.volumeIn += rainVolume + vin + clipped;
    this.balance.volumeOut += vout;
    this.balance.clipped += clipped;
    if (this.inflows.length) this.applyInflows(dt);
    this.t = t + dt;
    this.n++;
    return dt;
  }

  volume(): number {
    const h = this.ctx.arrays.h;
    let s = 0;
    for (let k = 0; k < h.length; k++) s += h[k]!;
    return s * this.grid.cellArea;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool?.dispose();
  }

  whenThreadsExit(): Promise<void> {
    return this.pool ? this.pool.exited : Promise.resolve();
  }

  private writeStages(t: number): void {
    const params = this.ctx.control.params;
    for (let s = 0; s < 4; s++) {
      const fn = this.stages[s];
      params[P_STAGE + s] = fn ? stageAt(SIDES[s]!, fn, t) : 0;
    }
  }

  /** The step bound from the rain rate last written (Infinity without rain). */
  private rainLimitedDt(): number {
    const r = this.rainMax;
    if (!(r > 0)) return Infinity;
    const d = Math.min(this.grid.dx, this.grid.dy);
    const factor = this.scheme === 'fv' ? 1 : 4 * 0.7; // inertial: dt <= 0.7 d / sqrt(g h)
    return this.cfl * Math.pow((factor * d) / (4 * Math.sqrt(GRAVITY * r)), 2 / 3);
  }

  /** Evaluates the rain at time t into the step parameters; returns the volume it adds over dt. */
  private writeRain(t: number, dt: number): number {
    const params = this.ctx.control.params;
    params[P_RAIN] = 0;
    params[P_RAIN_FIELD] = 0;
    this.rainMax = 0;
    if (!this.rain) return 0;
    const field = this.ctx.arrays.rain;
    const r = this.rain(t, field);
    if (typeof r === 'number') {
      if (!Number.isFinite(r) || r < 0) throw rainError(t, `returned ${r}`);
      params[P_RAIN] = r;
      this.rainMax = r;
      return r * dt * this.grid.cellArea * this.grid.cells;
    }
    if (!ArrayBuffer.isView(r) || r.length !== field.length) throw rainError(t, `must return a number or ${field.length} values`);
    if (r !== field) field.set(r);
    let sum = 0;
    let max = 0;
    for (let k = 0; k < field.length; k++) {
      const v = field[k]!;
      if (!(v >= 0) || v === Infinity) throw rainError(t, `gave ${v} at cell ${k}`);
      sum += v;
      if (v > max) max = v;
    }
    this.rainMax = max;
    params[P_RAIN_FIELD] = 1;
    return sum * dt * this.grid.cellArea;
  }

  /** Evaluates the point inflows at time t into inflowRates. */
  private readInflows(t: number): void {
    for (let i = 0; i < this.inflows.length; i++) {
      const q = this.inflows[i]!.discharge(t);
      if (typeof q !== 'number' || !Number.isFinite(q)) {
        throw new TerraError('INVALID_PARAMS', `flood inflows[${i}].discharge(${t}) returned ${String(q)}; discharges must be finite (m^3/s)`, {
          field: `inflows[${i}].discharge`,
        });
      }
      this.inflowRates[i] = q;
    }
  }

  /** Adds (or, for a negative discharge, takes up to what is there) each inflow's volume over dt. */
  private applyInflows(dt: number): void {
    const A = this.ctx.arrays;
    const area = this.grid.cellArea;
    const { nx, pw } = this.grid;
    for (let i = 0; i < this.inflows.length; i++) {
      const { cell } = this.inflows[i]!;
      const dv = this.inflowRates[i]! * dt;
      if (dv >= 0) {
        A.h[cell] = A.h[cell]! + dv / area;
        this.balance.volumeIn += dv;
      } else {
        const removed = Math.min(-dv, A.h[cell]! * area);
        A.h[cell] = Math.max(0, A.h[cell]! - removed / area);
        this.balance.volumeOut += removed;
      }
      if (this.scheme === 'fv') {
        const p = (Math.floor(cell / nx) + 2) * pw + (cell % nx) + 2;
        this.limiter = Math.max(this.limiter, fvCellPrimitives(this.ctx as FvContext, cell, p));
      } else {
        this.limiter = Math.max(this.limiter, A.h[cell]!);
      }
    }
    if (this.scheme === 'fv' && this.inflowOnEdge) {
      const fv = this.ctx as FvContext;
      const a = fv.arrays;
      const g = fillFvHalo(fv, { index: 0, j0: 0, j1: this.ny }, { eta: a.aEta, h: a.aH, u: a.aU, v: a.aV });
      this.limiter = Math.max(this.limiter, g);
    }
  }
}

function rainError(t: number, what: string): TerraError {
  return new TerraError('INVALID_PARAMS', `flood rain(${t}) ${what}; rain rates must be finite and >= 0 (m/s)`, { field: 'rain' });
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (a[k]! > m) m = a[k]!;
  return m;
}
