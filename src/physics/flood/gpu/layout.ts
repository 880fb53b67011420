/**
 * The memory contract between the TypeScript host and the WGSL kernels: the
 * structs every kernel sees (WGSL text) and the byte offsets the host writes
 * and reads them with. One place, so both sides change together.
 *
 * Buffers (f32 everywhere; cell k = j * nx + i, padded p = (j + 2) * pw + i + 2, as grid.ts):
 *   grid      uniform Grid: sizes, spacings, constants of this solver
 *   pass      uniform Pass, one per pass variant (stage 1 / stage 2 / halo refill)
 *   params    storage Params: this step's dt, time, forcing; then inflow rates and the rain field
 *   statics   storage vec2(z - zRef, g n^2) per cell
 *   state     storage vec4(h, hu, hv, 0): U0 at [0, cells), fv's stage state U1 at [cells, 2 cells)
 *   primsA/B  storage vec4(eta, h, u, v) per padded cell (fv only)
 *   faces     storage: fv vec4(f0, f1L, f1R, f2) per face; inertial q / qNew (f32) per face;
 *             x-faces at [0, (nx + 1) ny), y-faces at [(nx + 1) ny, (nx + 1) ny + nx (ny + 1))
 *   lim       storage f32 per cell (inertial positivity factor)
 *   control   storage Control: limiter, batch clock, per-step inflow volumes
 *   partials  storage vec4 per producer: [0, EDGE_SLOTS) boundary volumes (in, out) of the
 *             edge-sum invocations; then level 0: one (limiter candidate, clipped depth, bad, 0)
 *             per update strip / ghost cell / inflow kernel; then the reduction levels
 *   log       storage LogEntry per step of a batch
 *   maxima    storage vec4(max depth, max speed, max |q|, arrival time or -1) per cell
 *   forcing   storage Forcing: scalar forcing sampled over a batch (advanceTo)
 */

export const WGSL_STRUCTS = /* wgsl */ `
struct Grid {
  nx: u32, ny: u32, pw: u32, cells: u32,
  kinds: vec4<u32>,          // boundary kind per side: west, east, north, south
  dx: f32, dy: f32, invDx: f32, invDy: f32,
  gDx: f32, gDy: f32, tol: f32, eps4: f32,
  area: f32, cfl: f32, arrivalDepth: f32, minD: f32,
  edgeMinBed: vec4<f32>,     // lowest bed along each edge (inertial dt with a stage), minus zRef
  nInflows: u32, rainOff: u32, yOff: u32, finalOff: u32,
  clipWeight: f32, edgeWeight: f32, isFv: u32, finalCount: u32,
}

struct Pass {
  stage: u32, inOff: u32, outOff: u32, partOff: u32,
  a: f32, b: f32, wantLimiter: u32, trackMaxima: u32,
}

struct Params {
  dt: f32, time: f32, rain: f32, rainField: u32,
  stage: vec4<f32>,          // water-surface elevation beyond each edge, minus zRef
  running: u32, pad0: u32, pad1: u32, pad2: u32,
  data: array<f32>,          // inflow rates (m^3/s) at [0, nInflows), rain field (m/s) at [rainOff, rainOff + cells)
}

struct Control {
  limiter: f32, logIndex: u32, done: u32, steps: u32,
  elapsed: vec2<f32>,        // time since the batch started, as hi + lo
  span: vec2<f32>,           // the batch's length, as hi + lo
  inflowIn: f32, inflowOut: f32, tBatch: f32, pad0: f32,
}

/** One level of the partials reduction: threads invocations fold [inOff, inOff + count) into [outOff, outOff + threads). */
struct Level {
  inOff: u32, count: u32, outOff: u32, threads: u32,
}

struct LogEntry {
  dt: f32, rain: f32, vin: f32, vout: f32,
  clipped: f32, inflowIn: f32, inflowOut: f32, bad: f32,
}

struct Forcing {
  samples: u32, stride: u32, interval: f32, fieldMax: f32,   // fieldMax: largest rate of a field batch's rain, else 0
  data: array<f32>,          // sample m at [m * stride): rain, stage west, east, north, south, inflow rates
}
`;

/** Grid uniform: 128 bytes. */
export const GRID_BYTES = 128;
/** Pass uniform: 32 bytes. */
export const PASS_BYTES = 32;
/** Params header (f32 words) before `data`. */
export const PARAMS_HEADER = 12;
/** Control struct (words). */
export const CONTROL_HEADER = 12;
/** Level uniform: 16 bytes. */
export const LEVEL_BYTES = 16;
/** Invocations of the edge-sum kernel; its partials sit at [0, EDGE_THREADS) (stage 1) and [EDGE_THREADS, 2 EDGE_THREADS) (fv stage 2). */
export const EDGE_THREADS = 64;
/** Rows of cells one update invocation walks (its strip), folding them into one partial. */
export const STRIP_ROWS = 4;
/** Fan-in of a reduction level; the last level (<= this many) is folded by finish. */
export const REDUCE_FANIN = 64;
export const LOG_ENTRY_WORDS = 8;
export const FORCING_HEADER = 4;
/** Word of the Forcing header holding the rain field's largest rate (field batches). */
export const FORCING_FIELD_MAX = 3;
/** Per sample of the forcing table: rain, four stages, then the inflows. */
export const FORCING_FIXED = 5;

/** Word offsets inside the Control header. */
export const C_LIMITER = 0;
export const C_LOG_INDEX = 1;
export const C_DONE = 2;
export const C_STEPS = 3;
export const C_ELAPSED = 4;
export const C_SPAN = 6;
export const C_INFLOW_IN = 8;
export const C_INFLOW_OUT = 9;
export const C_TBATCH = 10;

/** Word offsets inside a LogEntry. */
export const L_DT = 0;
export const L_RAIN = 1;
export const L_VIN = 2;
export const L_VOUT = 3;
export const L_CLIPPED = 4;
export const L_INFLOW_IN = 5;
export const L_INFLOW_OUT = 6;
export const L_BAD = 7;

/** Word offsets inside the Params header. */
export const P_DT = 0;
export const P_TIME = 1;
export const P_RAIN = 2;
export const P_RAIN_FIELD = 3;
export const P_STAGE = 4;
export const P_ACTIVE = 8;

export interface GridUniform {
  nx: number;
  ny: number;
  kinds: readonly number[];
  dx: number;
  dy: number;
  tol: number;
  eps4: number;
  cfl: number;
  arrivalDepth: number;
  edgeMinBed: readonly number[];
  nInflows: number;
  /** The last reduction level: offset and count (<= REDUCE_FANIN) in partials. */
  finalOff: number;
  finalCount: number;
  gravity: number;
  isFv: boolean;
}

/** Encodes the Grid uniform. Quotients (1/dx, g/dx) are formed in float64 and rounded once, like the CPU's. */
export function encodeGrid(g: GridUniform): ArrayBuffer {
  const buf = new ArrayBuffer(GRID_BYTES);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  const pw = g.nx + 4;
  u[0] = g.nx;
  u[1] = g.ny;
  u[2] = pw;
  u[3] = g.nx * g.ny;
  for (let s = 0; s < 4; s++) u[4 + s] = g.kinds[s]!;
  f[8] = g.dx;
  f[9] = g.dy;
  f[10] = 1 / g.dx;
  f[11] = 1 / g.dy;
  f[12] = g.gravity / g.dx;
  f[13] = g.gravity / g.dy;
  f[14] = g.tol;
  f[15] = g.eps4;
  f[16] = g.dx * g.dy;
  f[17] = g.cfl;
  f[18] = g.arrivalDepth;
  f[19] = Math.min(g.dx, g.dy);
  for (let s = 0; s < 4; s++) f[20 + s] = g.edgeMinBed[s]!;
  u[24] = g.nInflows;
  u[25] = g.nInflows; // rainOff: the rain field follows the inflow rates
  u[26] = (g.nx + 1) * g.ny;
  u[27] = g.finalOff;
  f[28] = g.isFv ? 0.5 : 1; // clipWeight: each fv stage counts half in the final state
  f[29] = g.isFv ? 0.5 : 1; // edgeWeight, likewise
  u[30] = g.isFv ? 1 : 0;
  u[31] = g.finalCount;
  return buf;
}

export function encodeLevel(inOff: number, count: number, outOff: number, threads: number): ArrayBuffer {
  return Uint32Array.from([inOff, count, outOff, threads]).buffer;
}

export interface PassUniform {
  stage: number;
  inOff: number;
  outOff: number;
  partOff: number;
  a: number;
  b: number;
  wantLimiter: boolean;
  trackMaxima: boolean;
}

export function encodePass(p: PassUniform): ArrayBuffer {
  const buf = new ArrayBuffer(PASS_BYTES);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  u[0] = p.stage;
  u[1] = p.inOff;
  u[2] = p.outOff;
  u[3] = p.partOff;
  f[4] = p.a;
  f[5] = p.b;
  u[6] = p.wantLimiter ? 1 : 0;
  u[7] = p.trackMaxima ? 1 : 0;
  return buf;
}
