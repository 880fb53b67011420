/**
 * The GPU flood solver: the CPU reference's schemes (../fv, ../inertial,
 * ../boundaries) as WGSL kernels on one GPUDevice, f32 storage.
 *
 *   const gpu = await createGpuFloodSolver(setup);          // validates like createFloodSolver
 *   await gpu.step(maxDt);        // one step; dt and forcing exactly as the CPU solver; one read-back
 *   await gpu.advanceTo(tEnd);    // fast path: dt and time kept on the GPU, read back once per batch
 *   await gpu.sync();             // gpu.h / hu / hv now hold the state
 *   gpu.dispose();
 *
 * A step is a list of kernel runs encoded into one compute pass:
 *   fv:       [clock] flux(A) edge(1) update(1: A -> B) halo(B) flux(B) edge(2) update(2: B -> A) halo(A)
 *             [inflows halo-refill(A)] finish
 *   inertial: [clock] face limiter update edge [inflows] finish
 * step() computes dt on the host from the limiter read back after the last
 * step (the CPU solver's rule) and writes the step's params; advanceTo() runs
 * the clock kernel first in each step instead, with the forcing tabulated
 * per batch (./forcing.ts), and reads back the batch's log of per-step
 * volumes and dts once at its end.
 *
 * Mass balance: every step logs what it did in f32 (dt, rain rate, boundary
 * volumes in / out, clipped volume, inflow volumes actually added or taken);
 * the host sums the log in float64 with the rain volume formed from the
 * logged dt and rate (or the uploaded rain field's sum). What remains is the
 * f32 round-off of the depth updates themselves (relative ~1e-7 per step, not
 * biased), so volume() - (in - out) stays the initial volume to ~1e-6.
 */
import { TerraError } from '../../../api/errors';
import { getGpuDevice } from '../../../compute/gpu-device';
import { BOUNDARY_STAGE, GRAVITY, SIDES } from '../constants';
import type { FvContext, InertialContext } from '../context';
import { fvStableDt } from '../fv/stepper';
import { inertialStableDt } from '../inertial/stepper';
import type { FloodScheme, FloodSetup } from '../types';
import { stageAt } from '../validate';
import { GpuBuffers } from './buffers';
import { FloodForcing, rainLimitedDt, rainMax } from './forcing';
import { initialMaxima, initialState } from './initial';
import { haloCells } from './kernels/fv-halo';
import { FV_KERNELS, INERTIAL_KERNELS } from './kernels/index';
import {
  C_DONE,
  C_ELAPSED,
  C_LIMITER,
  C_LOG_INDEX,
  C_SPAN,
  C_TBATCH,
  CONTROL_HEADER,
  EDGE_THREADS,
  encodeGrid,
  encodeLevel,
  encodePass,
  FORCING_FIELD_MAX,
  FORCING_HEADER,
  L_BAD,
  L_CLIPPED,
  L_DT,
  L_INFLOW_IN,
  L_INFLOW_OUT,
  L_RAIN,
  L_VIN,
  L_VOUT,
  LOG_ENTRY_WORDS,
  P_ACTIVE,
  P_DT,
  P_RAIN,
  P_RAIN_FIELD,
  P_STAGE,
  P_TIME,
  PARAMS_HEADER,
  REDUCE_FANIN,
  STRIP_ROWS,
  type PassUniform,
} from './layout';
import { encodeRuns, GpuProgram, type KernelDef, type KernelRun } from './program';

export interface GpuFloodOptions {
  /** The device to run on; default getGpuDevice() (shared with tfjs). */
  device?: GPUDevice;
  /** Depth (m) a cell must exceed to count as reached, for the arrival-time map. Default 0.01 m. */
  arrivalDepth?: number;
  /** advanceTo: rows of the scalar forcing table (stages, uniform rain, inflows) per batch. Default 256. */
  forcingSamples?: number;
  /** advanceTo: longest batch (s) while the rain is a per-cell field (held over a batch). Default 60 s. */
  rainFieldInterval?: number;
  /** advanceTo: most steps encoded in one submission. Default 256. */
  maxBatchSteps?: number;
}

export interface GpuFloodMaxima {
  /** Max depth (m). */
  maxDepth: Float32Array;
  /** Max speed |u| (m/s). */
  maxSpeed: Float32Array;
  /** Max |q| = |(hu, hv)| (m^2/s), the depth-velocity hazard. */
  hazard: Float32Array;
  /** First time (s) the depth exceeded the arrival depth; NaN = never. */
  arrival: Float32Array;
}

export interface GpuFloodSolver {
  readonly scheme: FloodScheme;
  readonly nx: number;
  readonly ny: number;
  /** Simulated time (s) and steps taken. */
  readonly time: number;
  readonly steps: number;
  /** Advances one CFL-limited step of at most maxDt; resolves with dt. */
  step(maxDt: number): Promise<number>;
  /** Advances many steps up to time tEnd without reading state back each step (fast path). Resolves with steps taken. */
  advanceTo(tEnd: number): Promise<number>;
  /** Host copies of the state (row 0 north, like the CPU solver), refreshed by sync(). */
  readonly h: Float64Array;
  readonly hu: Float64Array;
  readonly hv: Float64Array;
  sync(): Promise<void>;
  /** Per-cell maxima tracked on the GPU every step. */
  readMaxima(): Promise<GpuFloodMaxima>;
  /** Cumulative volumes (m^3), as the CPU solver's MassBalance. */
  readonly mass: { volumeIn: number; volumeOut: number; clipped: number };
  /** Stored water volume (m^3) of the current state (read back, summed in float64). */
  volume(): Promise<number>;
  /** The largest stable step for the current state (s), from the limiter read back after the last step; Infinity when still. */
  stableDt(): number;
  /** Buffers this solver has created and destroyed (the leak check of dispose()). */
  bufferStats(): { created: number; destroyed: number; live: number; bytes: number };
  /** Destroys every GPU buffer it created; the solver cannot step afterwards. */
  dispose(): void;
}

const LOG_BYTES = LOG_ENTRY_WORDS * 4;
const HEADER_BYTES = CONTROL_HEADER * 4;

interface Buffers {
  grid: GPUBuffer;
  params: GPUBuffer;
  statics: GPUBuffer;
  state: GPUBuffer;
  control: GPUBuffer;
  partials: GPUBuffer;
  log: GPUBuffer;
  maxima: GPUBuffer;
  forcing: GPUBuffer;
  staging: GPUBuffer;
  inflowCells?: GPUBuffer;
  primsA?: GPUBuffer;
  primsB?: GPUBuffer;
  flux?: GPUBuffer;
  q?: GPUBuffer;
  qNew?: GPUBuffer;
  lim?: GPUBuffer;
}

class GpuFloodSolverImpl implements GpuFloodSolver {
  readonly scheme: FloodScheme;
  readonly nx: number;
  readonly ny: number;
  readonly h: Float64Array;
  readonly hu: Float64Array;
  readonly hv: Float64Array;
  private readonly device: GPUDevice;
  private readonly pool: GpuBuffers;
  private readonly buf: Buffers;
  private readonly forcing: FloodForcing;
  private readonly stages: readonly (((t: number) => number) | undefined)[];
  private readonly kinds: readonly number[];
  private readonly edgeMinBed: readonly number[];
  private readonly zRef: number;
  private readonly cfl: number;
  private readonly tol: number;
  private readonly dx: number;
  private readonly dy: number;
  private readonly cells: number;
  private readonly area: number;
  private readonly nInflows: number;
  private readonly samples: number;
  private readonly rainFieldInterval: number;
  private readonly maxBatch: number;
  private readonly stepRuns: KernelRun[];
  private readonly clockRun: KernelRun;
  /** Runs that complete the initial state on the GPU (fv: the halo of set A). */
  private readonly primeRuns: KernelRun[] = [];
  private readonly paramsHost: ArrayBuffer;
  private readonly rainHost: Float32Array;
  private readonly balance = { volumeIn: 0, volumeOut: 0, clipped: 0 };
  private limiter: number;
  private t = 0;
  private n = 0;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(device: GPUDevice, setup: FloodSetup, options: GpuFloodOptions) {
    const init = initialState(setup);
    const { valid, grid, ctx } = init;
    const { nx, ny, cells } = grid;
    this.device = device;
    this.scheme = setup.scheme;
    this.nx = nx;
    this.ny = ny;
    this.cells = cells;
    this.dx = grid.dx;
    this.dy = grid.dy;
    this.area = grid.cellArea;
    this.cfl = setup.cfl;
    this.tol = valid.tol;
    this.zRef = init.zRef;
    this.stages = valid.stages;
    this.kinds = valid.kinds;
    this.edgeMinBed = init.edgeMinBed;
    this.limiter = Math.fround(init.limiter);
    this.h = new Float64Array(cells);
    this.hu = new Float64Array(cells);
    this.hv = new Float64Array(cells);
    const inflows = setup.inflows ?? [];
    this.nInflows = inflows.length;
    this.forcing = new FloodForcing(setup, valid.stages, this.zRef, cells);
    const arrivalDepth = options.arrivalDepth ?? 0.01;
    if (!(arrivalDepth >= 0) || !Number.isFinite(arrivalDepth)) {
      throw new TerraError('INVALID_PARAMS', `GPU flood options: arrivalDepth must be a finite depth >= 0 m, got ${String(arrivalDepth)}`, {
        field: 'arrivalDepth',
      });
    }
    this.samples = positiveInt('forcingSamples', options.forcingSamples ?? 256);
    this.maxBatch = positiveInt('maxBatchSteps', options.maxBatchSteps ?? 256);
    this.rainFieldInterval = options.rainFieldInterval ?? 60;
    if (!(this.rainFieldInterval > 0)) {
      throw new TerraError('INVALID_PARAMS', `GPU flood options: rainFieldInterval must be > 0 s, got ${String(options.rainFieldInterval)}`, {
        field: 'rainFieldInterval',
      });
    }

    const fv = setup.scheme === 'fv';
    const A = ctx.arrays;
    const faces = (nx + 1) * ny + nx * (ny + 1);
    const strips = nx * Math.ceil(ny / STRIP_ROWS);
    const ghosts = haloCells(nx, ny);
    const inflowOnEdge = inflows.some(({ cell }) => {
      const i = cell % nx;
      const j = Math.floor(cell / nx);
      return i < 2 || i >= nx - 2 || j < 2 || j >= ny - 2;
    });
    // partials: the edge sums, then level 0 (one entry per update strip, ghost cell, inflow kernel), then the levels
    let slot = fv ? 2 * EDGE_THREADS : EDGE_THREADS;
    const take = (count: number) => {
      const at = slot;
      slot += count;
      return at;
    };
    const level0 = slot;
    const slotUpdate1 = take(strips);
    const slotUpdate2 = fv ? take(strips) : 0;
    const slotHalo1 = fv ? take(ghosts) : 0;
    const slotHalo2 = fv ? take(ghosts) : 0;
    const slotRefill = fv && inflowOnEdge ? take(ghosts) : 0;
    const slotInflow = this.nInflows ? take(1) : 0;
    const levels: [number, number, number, number][] = [];
    let count = slot - level0;
    let inOff = level0;
    while (count > REDUCE_FANIN) {
      const threads = Math.ceil(count / REDUCE_FANIN);
      const outOff = take(threads);
      levels.push([inOff, count, outOff, threads]);
      inOff = outOff;
      count = threads;
    }
    const partialSlots = slot;

    this.checkSize(cells, faces, grid.paddedCells);
    this.pool = new GpuBuffers(device, `flood-${setup.scheme}`);
    const pool = this.pool;
    const zs = init.zRef;

    const gridU = encodeGrid({
      nx,
      ny,
      kinds: valid.kinds,
      dx: grid.dx,
      dy: grid.dy,
      tol: valid.tol,
      eps4: ctx.eps4,
      cfl: setup.cfl,
      arrivalDepth,
      edgeMinBed: init.edgeMinBed.map((z) => z - zs),
      nInflows: this.nInflows,
      finalOff: inOff,
      finalCount: count,
      gravity: GRAVITY,
      isFv: fv,
    });
    const statics = new Float32Array(2 * cells);
    for (let k = 0; k < cells; k++) {
      statics[2 * k] = A.z[k]! - zs;
      statics[2 * k + 1] = A.gn2[k]!;
    }
    const state = new Float32Array(4 * cells * (fv ? 2 : 1));
    for (let k = 0; k < cells; k++) {
      state[4 * k] = A.h[k]!;
      state[4 * k + 1] = A.hu[k]!;
      state[4 * k + 2] = A.hv[k]!;
    }
    this.paramsHost = new ArrayBuffer((PARAMS_HEADER + this.nInflows) * 4);
    this.rainHost = new Float32Array(this.forcing.hasRain ? cells : 0);
    const control = new ArrayBuffer(HEADER_BYTES);
    new Float32Array(control)[C_LIMITER] = this.limiter;
    const forcingBytes = (FORCING_HEADER + (this.samples + 1) * this.forcing.stride) * 4;

    this.buf = {
      grid: pool.uniform('grid', gridU),
      params: pool.storage('params', (PARAMS_HEADER + this.nInflows + this.rainHost.length + 1) * 4),
      statics: pool.storage('statics', statics.byteLength, statics),
      state: pool.storage('state', state.byteLength, state),
      control: pool.storage('control', control.byteLength, control),
      partials: pool.storage('partials', 16 * partialSlots),
      log: pool.storage('log', this.maxBatch * LOG_BYTES),
      maxima: pool.storage('maxima', 16 * cells, initialMaxima(ctx, arrivalDepth)),
      forcing: pool.storage('forcing', forcingBytes),
      staging: pool.readback('staging', HEADER_BYTES + this.maxBatch * LOG_BYTES),
    };
    const b = this.buf;
    if (this.nInflows) b.inflowCells = pool.storage('inflowCells', 4 * this.nInflows, Uint32Array.from(inflows, (f) => f.cell));

    const programs = new Map<KernelDef, GpuProgram>();
    const program = (def: KernelDef) => {
      let p = programs.get(def);
      if (!p) programs.set(def, (p = new GpuProgram(device, def)));
      return p;
    };
    const passU = (name: string, p: Partial<PassUniform>) =>
      pool.uniform(name, encodePass({ stage: 1, inOff: 0, outOff: 0, partOff: 0, a: 0, b: 1, wantLimiter: false, trackMaxima: false, ...p }));
    const table = b as unknown as Record<string, GPUBuffer | undefined>;
    const runs: KernelRun[] = [];
    const K = fv ? FV_KERNELS : INERTIAL_KERNELS;
    this.clockRun = program(K.clock).run(program(K.clock).bind(table), 1);

    if (fv) {
      // Interior primitives as the kernels form them (eta = h + z in f32, so a flat surface is flat to the bit);
      // velocities from the CPU's fvAllPrimitives; the halo is filled on the GPU by prime().
      const P = (ctx as FvContext).arrays;
      const prims = new Float32Array(4 * grid.paddedCells);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const k = j * nx + i;
          const p = (j + 2) * grid.pw + i + 2;
          prims[4 * p] = Math.fround(state[4 * k]! + statics[2 * k]!);
          prims[4 * p + 1] = state[4 * k]!;
          prims[4 * p + 2] = P.aU[p]!;
          prims[4 * p + 3] = P.aV[p]!;
        }
      }
      b.primsA = pool.storage('primsA', prims.byteLength, prims);
      b.primsB = pool.storage('primsB', prims.byteLength);
      b.flux = pool.storage('flux', 16 * faces);
      const s1 = passU('stage1', { stage: 1, inOff: 0, outOff: cells, partOff: slotUpdate1, a: 0, b: 1 });
      const s2 = passU('stage2', { stage: 2, inOff: cells, outOff: 0, partOff: slotUpdate2, a: 0.5, b: 0.5, wantLimiter: true, trackMaxima: true });
      const h1 = passU('halo1', { partOff: slotHalo1 });
      const h2 = passU('halo2', { partOff: slotHalo2, wantLimiter: true });
      const flux = program(FV_KERNELS.flux);
      const edge = program(FV_KERNELS.edgeSum);
      const update = program(FV_KERNELS.update);
      const halo = program(FV_KERNELS.halo);
      runs.push(
        flux.run(flux.bind(table, { prims: b.primsA }), nx + 1, ny + 1),
        edge.run(edge.bind(table, { stagePass: s1, faces: b.flux }), EDGE_THREADS),
        update.run(update.bind(table, { stagePass: s1, primsIn: b.primsA, primsOut: b.primsB }), nx, Math.ceil(ny / STRIP_ROWS)),
        halo.run(halo.bind(table, { stagePass: h1, prims: b.primsB }), ghosts),
        flux.run(flux.bind(table, { prims: b.primsB }), nx + 1, ny + 1),
        edge.run(edge.bind(table, { stagePass: s2, faces: b.flux }), EDGE_THREADS),
        update.run(update.bind(table, { stagePass: s2, primsIn: b.primsB, primsOut: b.primsA }), nx, Math.ceil(ny / STRIP_ROWS)),
        halo.run(halo.bind(table, { stagePass: h2, prims: b.primsA }), ghosts),
      );
      this.primeRuns = [runs[runs.length - 1]!];
      if (this.nInflows) {
        const inflow = program(FV_KERNELS.inflows);
        runs.push(inflow.run(inflow.bind(table, { stagePass: passU('inflows', { partOff: slotInflow }), prims: b.primsA }), 1));
        if (inflowOnEdge) {
          runs.push(halo.run(halo.bind(table, { stagePass: passU('refill', { partOff: slotRefill, wantLimiter: true }), prims: b.primsA }), ghosts));
        }
      }
    } else {
      const Q = (ctx as InertialContext).arrays;
      const q = new Float32Array(faces);
      q.set(Q.qx);
      q.set(Q.qy, (nx + 1) * ny);
      b.q = pool.storage('q', q.byteLength, q);
      b.qNew = pool.storage('qNew', q.byteLength);
      b.lim = pool.storage('lim', 4 * cells);
      const u = passU('update', { stage: 1, partOff: slotUpdate1, trackMaxima: true });
      const face = program(INERTIAL_KERNELS.face);
      const limiter = program(INERTIAL_KERNELS.limiter);
      const update = program(INERTIAL_KERNELS.update);
      const edge = program(INERTIAL_KERNELS.edgeSum);
      runs.push(
        face.run(face.bind(table), nx + 1, ny + 1),
        limiter.run(limiter.bind(table), nx, ny),
        update.run(update.bind(table, { stagePass: u }), nx, Math.ceil(ny / STRIP_ROWS)),
        edge.run(edge.bind(table, { stagePass: u, faces: b.q }), EDGE_THREADS),
      );
      if (this.nInflows) {
        const inflow = program(INERTIAL_KERNELS.inflows);
        runs.push(inflow.run(inflow.bind(table, { stagePass: passU('inflows', { partOff: slotInflow }) }), 1));
      }
    }
    const reduce = program(K.reduce);
    levels.forEach(([i0, c, o, t], l) => runs.push(reduce.run(reduce.bind(table, { level: pool.uniform(`level${l}`, encodeLevel(i0, c, o, t)) }), t)));
    const finish = program(K.finish);
    runs.push(finish.run(finish.bind(table), 1));
    this.stepRuns = runs;
  }

  get time(): number {
    return this.t;
  }
  get steps(): number {
    return this.n;
  }
  get mass(): { volumeIn: number; volumeOut: number; clipped: number } {
    return { ...this.balance };
  }

  bufferStats() {
    return this.pool.stats;
  }

  stableDt(): number {
    if (this.scheme === 'fv') return fvStableDt(this.cfl, this.limiter);
    let hMax = this.limiter;
    for (let s = 0; s < 4; s++) {
      const fn = this.stages[s];
      if (fn && this.kinds[s] === BOUNDARY_STAGE) hMax = Math.max(hMax, stageAt(SIDES[s]!, fn, this.t) - this.edgeMinBed[s]!);
    }
    return inertialStableDt(this.cfl, this.dx, this.dy, hMax, this.tol);
  }

  step(maxDt: number): Promise<number> {
    return this.enqueue(async () => {
      this.checkLive('step');
      if (typeof maxDt !== 'number' || !(maxDt > 0) || !Number.isFinite(maxDt)) {
        throw new TerraError('INVALID_PARAMS', `flood step: maxDt must be a finite number > 0, got ${String(maxDt)}`, { field: 'maxDt' });
      }
      // the CPU solver's order: CFL dt, rain at mid-step, the rain bound (then the rain again), stages, inflows
      let dt = Math.min(maxDt, this.stableDt());
      const t = this.t;
      let rain = this.forcing.rainAt(t + 0.5 * dt);
      const rainDt = rainLimitedDt(this.scheme, this.cfl, this.dx, this.dy, rainMax(rain));
      if (rainDt < dt) {
        dt = rainDt;
        rain = this.forcing.rainAt(t + 0.5 * dt);
      }
      const u = new Uint32Array(this.paramsHost);
      const f = new Float32Array(this.paramsHost);
      f[P_DT] = dt;
      f[P_TIME] = t;
      this.forcing.stagesAt(this.scheme === 'fv' ? t + dt : t, f, P_STAGE);
      this.forcing.inflowsAt(t + 0.5 * dt, f, PARAMS_HEADER);
      f[P_RAIN] = rain.kind === 'uniform' ? rain.rate : 0;
      u[P_RAIN_FIELD] = rain.kind === 'field' ? 1 : 0;
      u[P_ACTIVE] = 1;
      const q = this.device.queue;
      q.writeBuffer(this.buf.params, 0, this.paramsHost);
      const fieldSum = rain.kind === 'field' ? this.uploadRainField(rain.field) : 0;
      q.writeBuffer(this.buf.control, C_LOG_INDEX * 4, new Uint32Array([0]));
      const [header, log] = await this.submit([...this.stepRuns], 1);
      this.book(log, 0, rain.kind === 'field' ? fieldSum : null);
      this.limiter = header[C_LIMITER]!;
      this.t = t + dt;
      this.n++;
      return dt;
    });
  }

  advanceTo(tEnd: number): Promise<number> {
    return this.enqueue(async () => {
      this.checkLive('advanceTo');
      if (typeof tEnd !== 'number' || !Number.isFinite(tEnd)) {
        throw new TerraError('INVALID_PARAMS', `flood advanceTo: tEnd must be a finite time (s), got ${String(tEnd)}`, { field: 'tEnd' });
      }
      let taken = 0;
      while (this.t < tEnd) taken += await this.batch(tEnd);
      return taken;
    });
  }

  sync(): Promise<void> {
    return this.enqueue(async () => {
      this.checkLive('sync');
      const data = await this.readBuffer(this.buf.state, 16 * this.cells);
      for (let k = 0; k < this.cells; k++) {
        this.h[k] = data[4 * k]!;
        this.hu[k] = data[4 * k + 1]!;
        this.hv[k] = data[4 * k + 2]!;
      }
    });
  }

  readMaxima(): Promise<GpuFloodMaxima> {
    return this.enqueue(async () => {
      this.checkLive('readMaxima');
      const data = await this.readBuffer(this.buf.maxima, 16 * this.cells);
      const n = this.cells;
      const out = { maxDepth: new Float32Array(n), maxSpeed: new Float32Array(n), hazard: new Float32Array(n), arrival: new Float32Array(n) };
      for (let k = 0; k < n; k++) {
        out.maxDepth[k] = data[4 * k]!;
        out.maxSpeed[k] = data[4 * k + 1]!;
        out.hazard[k] = data[4 * k + 2]!;
        const a = data[4 * k + 3]!;
        out.arrival[k] = a < 0 ? NaN : a;
      }
      return out;
    });
  }

  async volume(): Promise<number> {
    await this.sync();
    let s = 0;
    for (let k = 0; k < this.cells; k++) s += this.h[k]!;
    return s * this.area;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool.destroyAll();
  }

  /** Completes the initial state on the GPU (the fv halo, from the stages at t = 0). */
  private async prime(): Promise<void> {
    if (!this.primeRuns.length) return;
    const u = new Uint32Array(this.paramsHost);
    const f = new Float32Array(this.paramsHost);
    f.fill(0);
    this.forcing.stagesAt(this.t, f, P_STAGE);
    u[P_ACTIVE] = 1;
    this.device.queue.writeBuffer(this.buf.params, 0, this.paramsHost);
    const enc = this.device.createCommandEncoder({ label: 'flood-prime' });
    const pass = enc.beginComputePass();
    encodeRuns(pass, this.primeRuns);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    await this.device.queue.onSubmittedWorkDone();
  }

  /** One batch of GPU-clocked steps from the current time towards tEnd; returns the steps taken. */
  private async batch(tEnd: number): Promise<number> {
    const t0 = this.t;
    let span = tEnd - t0;
    let field: Float64Array | null = null;
    if (this.forcing.hasRain) {
      const probe = this.forcing.rainAt(t0);
      if (probe.kind === 'field') {
        span = Math.min(span, this.rainFieldInterval);
        // a field batch stops where the rain turns into a number (a storm's end): found by bisection
        if (this.forcing.rainAt(t0 + span).kind !== 'field') {
          let lo = 0;
          let hi = span;
          while (hi - lo > 1e-9 * Math.max(1, Math.abs(t0 + span))) {
            const mid = 0.5 * (lo + hi);
            if (this.forcing.rainAt(t0 + mid).kind === 'field') lo = mid;
            else hi = mid;
          }
          span = hi;
        }
        const mid = this.forcing.rainAt(t0 + 0.5 * span);
        field = mid.kind === 'field' ? Float64Array.from(mid.field) : new Float64Array(this.cells).fill(mid.kind === 'uniform' ? mid.rate : 0);
      }
    }
    const tab = this.forcing.table(t0, span, this.samples, field === null);
    span = tab.span;
    // a field batch's rain bound uses the field's largest rate (the clock kernel reads it from the table header)
    new Float32Array(tab.data)[FORCING_FIELD_MAX] = field ? rainMax({ kind: 'field', field }) : 0;
    const q = this.device.queue;
    q.writeBuffer(this.buf.forcing, 0, tab.data);
    q.writeBuffer(this.buf.params, P_RAIN_FIELD * 4, new Uint32Array([field ? 1 : 0]));
    const fieldSum = field ? this.uploadRainField(field) : 0;
    // the batch clock: control words 1..C_TBATCH (the limiter, word 0, is the GPU's)
    const head = new ArrayBuffer((C_TBATCH + 1) * 4);
    const hu32 = new Uint32Array(head);
    const hf32 = new Float32Array(head);
    const spanHi = Math.fround(span);
    hf32[C_ELAPSED] = 0;
    hf32[C_ELAPSED + 1] = 0;
    hf32[C_SPAN] = spanHi;
    hf32[C_SPAN + 1] = span - spanHi;
    hf32[C_TBATCH] = t0;
    hu32[C_DONE] = 0;
    q.writeBuffer(this.buf.control, 4, head, 4);

    let steps = 0;
    let elapsed = 0;
    for (;;) {
      // steps to encode: the CFL step of the current state (a batch's last step is short, not typical);
      // steps past the batch's end are switched off by the clock kernel but still dispatched
      const remaining = span - elapsed;
      const dtGuess = Math.min(remaining, this.stableDt());
      const want = Math.ceil((1.02 * remaining) / dtGuess) + 1;
      const count = Math.max(1, Math.min(this.maxBatch, Number.isFinite(want) ? want : 1));
      q.writeBuffer(this.buf.control, C_LOG_INDEX * 4, new Uint32Array([0]));
      const runs: KernelRun[] = [];
      for (let s = 0; s < count; s++) runs.push(this.clockRun, ...this.stepRuns);
      const [header, log] = await this.submit(runs, count);
      const done = new Uint32Array(header.buffer, header.byteOffset, CONTROL_HEADER)[C_DONE]!;
      const entries = new Uint32Array(header.buffer, header.byteOffset, CONTROL_HEADER)[C_LOG_INDEX]!;
      for (let e = 0; e < entries; e++) {
        elapsed += this.book(log, e, field ? fieldSum : null);
      }
      this.n += entries;
      steps += entries;
      this.limiter = header[C_LIMITER]!;
      if (done) {
        this.t = t0 + span;
        return steps;
      }
      this.t = t0 + elapsed;
    }
  }

  /** Uploads a rain field as f32; returns the sum of the uploaded rates (for the balance). */
  private uploadRainField(field: Float64Array): number {
    this.rainHost.set(field);
    let sum = 0;
    for (let k = 0; k < this.rainHost.length; k++) sum += this.rainHost[k]!;
    this.device.queue.writeBuffer(this.buf.params, (PARAMS_HEADER + this.nInflows) * 4, this.rainHost);
    return sum;
  }

  /** Books log entry e into the balance (float64); returns its dt. Throws on a non-finite state. */
  private book(log: Float32Array, e: number, rainFieldSum: number | null): number {
    const o = e * LOG_ENTRY_WORDS;
    const dt = log[o + L_DT]!;
    if (log[o + L_BAD]!) {
      throw new TerraError('INTERNAL', `GPU flood solver (${this.scheme}): non-finite depth or velocity at t = ${this.t + dt} s (step ${this.n + e + 1})`);
    }
    const rain = rainFieldSum !== null ? dt * rainFieldSum * this.area : dt * log[o + L_RAIN]! * this.cells * this.area;
    const clipped = log[o + L_CLIPPED]!;
    this.balance.volumeIn += rain + log[o + L_VIN]! + clipped + log[o + L_INFLOW_IN]!;
    this.balance.volumeOut += log[o + L_VOUT]! + log[o + L_INFLOW_OUT]!;
    this.balance.clipped += clipped;
    return dt;
  }

  /** Encodes the runs in one pass, copies the control header and `entries` log entries back, waits for them. */
  private async submit(runs: KernelRun[], entries: number): Promise<[Float32Array, Float32Array]> {
    const enc = this.device.createCommandEncoder({ label: 'flood-step' });
    const pass = enc.beginComputePass({ label: 'flood-step' });
    encodeRuns(pass, runs);
    pass.end();
    const st = this.buf.staging;
    enc.copyBufferToBuffer(this.buf.control, 0, st, 0, HEADER_BYTES);
    enc.copyBufferToBuffer(this.buf.log, 0, st, HEADER_BYTES, entries * LOG_BYTES);
    this.device.queue.submit([enc.finish()]);
    await st.mapAsync(GPUMapMode.READ, 0, HEADER_BYTES + entries * LOG_BYTES);
    const copy = new Float32Array(st.getMappedRange(0, HEADER_BYTES + entries * LOG_BYTES).slice(0));
    st.unmap();
    return [copy.subarray(0, CONTROL_HEADER), copy.subarray(CONTROL_HEADER)];
  }

  /** Reads `bytes` from the start of a buffer through a temporary staging buffer. */
  private async readBuffer(src: GPUBuffer, bytes: number): Promise<Float32Array> {
    const st = this.pool.readback('read', bytes);
    try {
      const enc = this.device.createCommandEncoder({ label: 'flood-read' });
      enc.copyBufferToBuffer(src, 0, st, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      await st.mapAsync(GPUMapMode.READ, 0, bytes);
      const out = new Float32Array(st.getMappedRange(0, bytes).slice(0));
      st.unmap();
      return out;
    } finally {
      this.pool.destroy(st);
    }
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkLive(what: string): void {
    if (this.disposed) throw new TerraError('INTERNAL', `GPU flood solver: ${what}() after dispose()`);
  }

  private checkSize(cells: number, faces: number, padded: number): void {
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    const biggest = Math.max(32 * cells, 16 * faces, 16 * padded);
    if (biggest > limit) {
      throw new TerraError(
        'INVALID_PARAMS',
        `GPU flood solver: a ${this.nx} x ${this.ny} grid needs ${biggest} bytes in one buffer, the device allows ${limit}; split the domain or use the CPU solver`,
        { field: 'nx' },
      );
    }
  }

  /** Builds a solver; validation and out-of-memory errors of the GPU objects come back as a TerraError. */
  static async create(device: GPUDevice, setup: FloodSetup, options: GpuFloodOptions): Promise<GpuFloodSolverImpl> {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let solver: GpuFloodSolverImpl | null = null;
    let thrown: unknown = null;
    try {
      solver = new GpuFloodSolverImpl(device, setup, options);
    } catch (err) {
      thrown = err;
    }
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (thrown !== null || !solver) throw thrown;
    const err = validation ?? memory;
    if (err) {
      solver.dispose();
      throw new TerraError('INTERNAL', `GPU flood solver could not be built: ${err.message}`);
    }
    await solver.prime();
    return solver;
  }
}

function positiveInt(name: string, x: number): number {
  if (!Number.isInteger(x) || x < 1) {
    throw new TerraError('INVALID_PARAMS', `GPU flood options: ${name} must be an integer >= 1, got ${String(x)}`, { field: name });
  }
  return x;
}

/** Validates `setup` (as createFloodSolver does) and builds the GPU solver on `options.device` or the process's device. */
export async function createGpuFloodSolver(setup: FloodSetup, options: GpuFloodOptions = {}): Promise<GpuFloodSolver> {
  const device = options.device ?? (await getGpuDevice());
  return GpuFloodSolverImpl.create(device, setup, options);
}
