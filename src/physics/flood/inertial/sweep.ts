/**
 * The passes of an inertial step over one thread's band, fused into one
 * sweep down the rows (row buffers instead of whole-grid face arrays):
 *
 * - prepareRow(r): the new flows of row r's x-faces (edges included), of its
 *   south y-faces (face row r + 1) and its cells' positivity factors
 *   (inertialFaceFlow, outflowLimiter), in three short loops over the row
 *   (one kernel call site per loop keeps V8 inlining the kernels). Boundary
 *   faces take a ghost surface from their kind (wall: no flow; open:
 *   extrapolated falling surface; stage: the stage).
 * - updateRow(r - 1), one row behind: each face's flow scaled by the factor of
 *   the cell it leaves, depth updated by the flux divergence plus rain, the
 *   limited flows stored as the current ones, the cell-centred h*u, h*v
 *   refreshed (face averages), edge flows summed for the mass balance.
 *
 * The update of row r - 1 writes h, qx, qy only where no later prepareRow of
 * the sweep reads, so the state is updated in place. The new flows and the
 * factors live in small rotating row buffers (two rows of x-faces, three of
 * y-faces and of factors). Against the two-pass form this saves the
 * whole-grid new-flow and factor arrays (about 40 % of the memory traffic).
 *
 * Threads: what a band needs from its neighbours' rows (the flows through
 * its first row's north faces and through the south faces of its last two
 * rows, the factors of the row above and the row below the band) is computed
 * first, privately, by haloPass from the state at time n; a barrier; then the
 * sweep (sweepPass) reads and writes the band's own rows only. A neighbour computes the same
 * faces and factors itself with the same arithmetic on the same inputs, so
 * the results are bit-identical to one thread. The limiter moves the same
 * volume out of one cell and into the other, so mass is conserved exactly.
 *
 * The arithmetic per face and per cell is unchanged from the two-pass form
 * (a face pass into whole-grid qxNew / qyNew / lim arrays, a barrier, an
 * update pass), which is what the WGSL port does: face kernel, limiter
 * kernel, update kernel (see the kernels in face.ts and the comments below).
 */
import { openGhostEta } from '../boundaries/open';
import { stageGhostEta } from '../boundaries/stage';
import { wallFlow } from '../boundaries/wall';
import { BOUNDARY_OPEN, BOUNDARY_WALL, EAST, GRAVITY, INERTIAL_THETA, NORTH, SOUTH, WEST } from '../constants';
import type { InertialContext } from '../context';
import type { Band } from '../grid';
import { P_DT, P_RAIN, P_RAIN_FIELD, P_STAGE, R_BAD, R_CLIPPED, R_IN, R_OUT, R_SPEED, RESULTS_STRIDE } from '../state';
import type { FloodWasm } from '../wasm/kernels';
import { inertialFaceFlow, outflowLimiter } from './face';

/** Ghost water surface beyond an edge cell for a non-wall kind. */
function ghostEta(kind: number, etaEdge: number, etaInner: number, hInner: number, stage: number, tol: number): number {
  return kind === BOUNDARY_OPEN ? openGhostEta(etaEdge, etaInner, hInner, tol) : stageGhostEta(stage);
}

/** What every row function of one step reads: the state, the geometry and the step's constants. */
interface StepData {
  h: Float64Array;
  z: Float64Array;
  gn2: Float64Array;
  qx: Float64Array;
  qy: Float64Array;
  hu: Float64Array;
  hv: Float64Array;
  rain: Float64Array;
  nx: number;
  ny: number;
  dt: number;
  /** g dt / dx, g dt / dy, dt / 2. */
  gx: number;
  gy: number;
  hdt: number;
  tol: number;
  /** Cell area and the limiter's dt dy, dt dx. */
  area: number;
  ax: number;
  ay: number;
  invDx: number;
  invDy: number;
  rainField: boolean;
  rainU: number;
  kinds: readonly number[];
  stages: Float64Array;
  /**
   * The WebAssembly row kernels (bit-identical to the loops here), when the
   * fields live in their memory; with the byte addresses of the fields (rain:
   * 0 unless a rain field is on this step).
   */
  w: FloodWasm | null;
  ah: number;
  az: number;
  agn2: number;
  aqx: number;
  aqy: number;
  ahu: number;
  ahv: number;
  arain: number;
}

/** Per-thread scratch: rotating row buffers, the band's halo results, per-step data and sums. */
export interface InertialScratch {
  /** New x-face flows of two rows (nx + 1 each). */
  xf: Float64Array[];
  /** New y-face flows of three face rows (nx each). */
  yf: Float64Array[];
  /** Positivity factors of three rows (nx each). */
  lm: Float64Array[];
  /** haloPass results: the band's first north face row and the factors of the row above; its last south face row and the row below. */
  northFaces: Float64Array;
  limAbove: Float64Array;
  southFaces: Float64Array;
  limBelow: Float64Array;
  /** haloPass: the south faces of the band's second-last row (they read the next band's north faces). */
  southFaces2: Float64Array;
  /** haloPass scratch rows. */
  tx: Float64Array;
  ty: Float64Array;
  tl: Float64Array;
  stages: Float64Array;
  /** in-x, out-x, clipped, bad, hMax of the row updates. */
  acc: Float64Array;
  step: StepData | null;
}

/** Float64 values of one thread's scratch (carved from the solver's memory when the WebAssembly kernels run). */
export function inertialScratchLength(nx: number): number {
  return 3 * (nx + 1) + 15 * nx + 9;
}

export function createInertialScratch(nx: number, region: Float64Array = new Float64Array(inertialScratchLength(nx))): InertialScratch {
  let at = 0;
  const take = (n: number) => region.subarray(at, (at += n));
  const row = () => take(nx);
  return {
    xf: [take(nx + 1), take(nx + 1)],
    yf: [row(), row(), row()],
    lm: [row(), row(), row()],
    northFaces: row(),
    limAbove: row(),
    southFaces: row(),
    limBelow: row(),
    southFaces2: row(),
    tx: take(nx + 1),
    ty: row(),
    tl: row(),
    stages: take(4),
    acc: take(5),
    step: null,
  };
}

const ACC_IN_X = 0;
const ACC_OUT_X = 1;
const ACC_CLIPPED = 2;
const ACC_BAD = 3;
const ACC_HMAX = 4;

function stepData(ctx: InertialContext, sc: InertialScratch): StepData {
  const { nx, ny, dx, dy } = ctx.grid;
  const A = ctx.arrays;
  const params = ctx.control.params;
  const dt = params[P_DT]!;
  for (let s = 0; s < 4; s++) sc.stages[s] = params[P_STAGE + s]!;
  const d: StepData = sc.step ?? {
    h: A.h,
    z: A.z,
    gn2: A.gn2,
    qx: A.qx,
    qy: A.qy,
    hu: A.hu,
    hv: A.hv,
    rain: A.rain,
    nx,
    ny,
    dt: 0,
    gx: 0,
    gy: 0,
    hdt: 0,
    tol: ctx.tol,
    area: dx * dy,
    ax: 0,
    ay: 0,
    invDx: 1 / dx,
    invDy: 1 / dy,
    rainField: false,
    rainU: 0,
    kinds: ctx.kinds,
    stages: sc.stages,
    w: ctx.wasm,
    ah: A.h.byteOffset,
    az: A.z.byteOffset,
    agn2: A.gn2.byteOffset,
    aqx: A.qx.byteOffset,
    aqy: A.qy.byteOffset,
    ahu: A.hu.byteOffset,
    ahv: A.hv.byteOffset,
    arain: 0,
  };
  d.dt = dt;
  d.gx = (GRAVITY * dt) / dx;
  d.gy = (GRAVITY * dt) / dy;
  d.hdt = 0.5 * dt;
  d.ax = dt * dy;
  d.ay = dt * dx;
  d.rainField = params[P_RAIN_FIELD]! !== 0;
  d.rainU = params[P_RAIN]!;
  d.arain = d.rainField ? A.rain.byteOffset : 0;
  sc.step = d;
  return d;
}

/** New flows of the x-faces of row j (west edge face at out[0], east edge at out[nx]). */
function xFacesRow(d: StepData, j: number, out: Float64Array): void {
  const { h, z, gn2, nx, gx, hdt, tol } = d;
  const q = d.qx;
  const th = INERTIAL_THETA;
  const f0 = j * (nx + 1);
  const k0 = j * nx;
  if (d.w) {
    d.w.xInteriorFaces(d.ah + 8 * k0, d.az + 8 * k0, d.agn2 + 8 * k0, d.aqx + 8 * f0, out.byteOffset, nx, gx, hdt, th, tol);
    xEdgeFaces(d, j, out);
    return;
  }
  let zL = z[k0]!;
  let eL = h[k0]! + zL;
  let gL = gn2[k0]!;
  let qm = q[f0]!;
  let qc = q[f0 + 1]!;
  for (let i = 1; i < nx; i++) {
    const kR = k0 + i;
    const zR = z[kR]!;
    const eR = h[kR]! + zR;
    const gR = gn2[kR]!;
    const qp = q[f0 + i + 1]!;
    out[i] = inertialFaceFlow(qc, qm, qp, eL, eR, zL, zR, gx, hdt * (gL + gR), th, tol);
    qm = qc;
    qc = qp;
    zL = zR;
    eL = eR;
    gL = gR;
  }
  xEdgeFaces(d, j, out);
}

/** The west (out[0]) and east (out[nx]) edge faces of row j: ghost surface from the side's kind. */
function xEdgeFaces(d: StepData, j: number, out: Float64Array): void {
  const { h, z, gn2, nx, gx, tol, dt, kinds, stages } = d;
  const q = d.qx;
  const th = INERTIAL_THETA;
  const f0 = j * (nx + 1);
  const k0 = j * nx;
  const kw = kinds[WEST]!;
  const ke = kinds[EAST]!;
  // west edge: ghost on the left of cell 0
  if (kw === BOUNDARY_WALL) out[0] = wallFlow();
  else {
    const z0 = z[k0]!;
    const e0 = h[k0]! + z0;
    const i1 = nx > 1 ? k0 + 1 : k0;
    const eg = ghostEta(kw, e0, h[i1]! + z[i1]!, h[i1]!, stages[WEST]!, tol);
    out[0] = inertialFaceFlow(q[f0]!, q[f0]!, q[f0 + 1]!, eg, e0, z0, z0, gx, dt * gn2[k0]!, th, tol);
  }
  // east edge: ghost on the right of cell nx-1
  const fe = f0 + nx;
  if (ke === BOUNDARY_WALL) out[nx] = wallFlow();
  else {
    const kn = k0 + nx - 1;
    const zn = z[kn]!;
    const en = h[kn]! + zn;
    const i1 = nx > 1 ? kn - 1 : kn;
    const eg = ghostEta(ke, en, h[i1]! + z[i1]!, h[i1]!, stages[EAST]!, tol);
    out[nx] = inertialFaceFlow(q[fe]!, q[fe - 1]!, q[fe]!, en, eg, zn, zn, gx, dt * gn2[kn]!, th, tol);
  }
}

/**
 * New flows of y-face row f (the north faces of row f, 0 <= f <= ny) into
 * out[0..nx): flow positive north, from cell (i, f) to (i, f-1); f = 0 and
 * f = ny are the north and south edges. (Edges and interior are separate
 * functions so that the JIT inlines the face kernel into each loop.)
 */
function yFacesRow(d: StepData, f: number, out: Float64Array): void {
  if (f === 0) yNorthEdgeFaces(d, out);
  else if (f === d.ny) ySouthEdgeFaces(d, out);
  else yInteriorFaces(d, f, out);
}

function yNorthEdgeFaces(d: StepData, out: Float64Array): void {
  const { h, z, gn2, nx, ny, gy, tol, dt, kinds, stages } = d;
  const q = d.qy;
  const th = INERTIAL_THETA;
  const kn = kinds[NORTH]!;
  for (let i = 0; i < nx; i++) {
    if (kn === BOUNDARY_WALL) {
      out[i] = wallFlow();
      continue;
    }
    const z0 = z[i]!;
    const e0 = h[i]! + z0;
    const i1 = ny > 1 ? i + nx : i;
    const eg = ghostEta(kn, e0, h[i1]! + z[i1]!, h[i1]!, stages[NORTH]!, tol);
    out[i] = inertialFaceFlow(q[i]!, q[i + nx]!, q[i]!, e0, eg, z0, z0, gy, dt * gn2[i]!, th, tol);
  }
}

function ySouthEdgeFaces(d: StepData, out: Float64Array): void {
  const { h, z, gn2, nx, ny, gy, tol, dt, kinds, stages } = d;
  const q = d.qy;
  const th = INERTIAL_THETA;
  const base = ny * nx;
  const ks = kinds[SOUTH]!;
  for (let i = 0; i < nx; i++) {
    const q0 = base + i;
    if (ks === BOUNDARY_WALL) {
      out[i] = wallFlow();
      continue;
    }
    const kc = q0 - nx;
    const zc = z[kc]!;
    const ec = h[kc]! + zc;
    const i1 = ny > 1 ? kc - nx : kc;
    const eg = ghostEta(ks, ec, h[i1]! + z[i1]!, h[i1]!, stages[SOUTH]!, tol);
    out[i] = inertialFaceFlow(q[q0]!, q[q0]!, q[q0 - nx]!, eg, ec, zc, zc, gy, dt * gn2[kc]!, th, tol);
  }
}

function yInteriorFaces(d: StepData, f: number, out: Float64Array): void {
  const { h, z, gn2, nx, gy, hdt, tol } = d;
  const q = d.qy;
  const th = INERTIAL_THETA;
  const base = f * nx;
  if (d.w) {
    const b = 8 * base;
    d.w.yInteriorFaces(d.ah + b, d.az + b, d.agn2 + b, d.aqy + b, out.byteOffset, nx, 8 * nx, gy, hdt, th, tol);
    return;
  }
  for (let i = 0; i < nx; i++) {
    const kS = base + i;
    const kN = kS - nx;
    const zS = z[kS]!;
    const zN = z[kN]!;
    out[i] = inertialFaceFlow(q[kS]!, q[kS + nx]!, q[kN]!, h[kS]! + zS, h[kN]! + zN, zS, zN, gy, hdt * (gn2[kS]! + gn2[kN]!), th, tol);
  }
}

/**
 * Positivity factors of row j's cells from its new face flows (west/east at
 * xf[i], xf[i+1], north at yN[i], south at yS[i]) into out.
 */
function limiterRow(d: StepData, j: number, xf: Float64Array, yN: Float64Array, yS: Float64Array, out: Float64Array): void {
  const { h, nx, area, ax, ay } = d;
  const k0 = j * nx;
  if (d.w) {
    d.w.limiterRow(d.ah + 8 * k0, nx, xf.byteOffset, yN.byteOffset, yS.byteOffset, out.byteOffset, area, ax, ay);
    return;
  }
  for (let i = 0; i < nx; i++) {
    const w = xf[i]!;
    const e = xf[i + 1]!;
    const n = yN[i]!;
    const s = yS[i]!;
    const o = ax * ((e > 0 ? e : 0) - (w < 0 ? w : 0)) + ay * ((n > 0 ? n : 0) - (s < 0 ? s : 0));
    out[i] = outflowLimiter(h[k0 + i]! * area, o);
  }
}

/**
 * Update of row j: each new flow scaled by the factor of the cell it leaves
 * (lP, lC, lS: factors of rows j-1, j, j+1; lP / lS unused at the north /
 * south edge), depth from the flux divergence plus rain (clipped at 0 and
 * booked), limited flows stored (qx: the row's faces; qy: its north faces,
 * and the south edge for the last row), h*u, h*v as face averages, the
 * row's edge flows summed into acc.
 */
function updateRow(
  d: StepData,
  j: number,
  xf: Float64Array,
  yN: Float64Array,
  yS: Float64Array,
  lP: Float64Array,
  lC: Float64Array,
  lS: Float64Array,
  acc: Float64Array,
): void {
  const { qx, nx, ny, dt, invDx, invDy, rainU } = d;
  const fx = j * (nx + 1);
  const k0 = j * nx;
  const hasNorth = j > 0;
  const hasSouth = j < ny - 1;
  // the west edge face (the row loop stores east faces)
  const w0 = xf[0]!;
  const fw = w0 > 0 ? w0 : w0 * lC[0]!;
  qx[fx] = fw;
  const edgeW = fw;
  if (d.w) {
    d.w.updateRow(
      d.ah + 8 * k0, d.ahu + 8 * k0, d.ahv + 8 * k0, d.aqx + 8 * fx, d.aqy + 8 * k0, d.arain && d.arain + 8 * k0,
      xf.byteOffset, yN.byteOffset, yS.byteOffset, lP.byteOffset, lC.byteOffset, lS.byteOffset,
      nx, hasNorth ? 1 : 0, hasSouth ? 1 : 0, fw, dt, invDx, invDy, rainU, acc.byteOffset + 8 * ACC_CLIPPED,
    );
  } else {
    rowLoop(d, k0, fx, fw, xf, yN, yS, lP, lC, lS, hasNorth, hasSouth, acc);
  }
  if (!hasSouth) storeSouthEdge(d, yS, lC);
  // edge flows for the balance: eastward through the west edge is in, through the east edge out
  let inX = acc[ACC_IN_X]!;
  let outX = acc[ACC_OUT_X]!;
  if (edgeW > 0) inX += edgeW;
  else outX -= edgeW;
  const fe = qx[fx + nx]!;
  if (fe > 0) outX += fe;
  else inX -= fe;
  acc[ACC_IN_X] = inX;
  acc[ACC_OUT_X] = outX;
}

/** The cell loop of updateRow in TypeScript (the WebAssembly updateRow does the same). */
function rowLoop(
  d: StepData,
  k0: number,
  fx: number,
  fw0: number,
  xf: Float64Array,
  yN: Float64Array,
  yS: Float64Array,
  lP: Float64Array,
  lC: Float64Array,
  lS: Float64Array,
  hasNorth: boolean,
  hasSouth: boolean,
  acc: Float64Array,
): void {
  const { h, hu, hv, qx, qy, rain, nx, dt, invDx, invDy, rainField, rainU } = d;
  let clipped = 0;
  let bad = 0;
  let hMax = acc[ACC_HMAX]!;
  let fw = fw0;
  let lk = lC[0]!;
  const last = nx - 1;
  for (let i = 0; i < nx; i++) {
    const k = k0 + i;
    const e = xf[i + 1]!;
    const n = yN[i]!;
    const s = yS[i]!;
    const lE = i < last ? lC[i + 1]! : 0;
    const fe = e > 0 ? e * lk : i < last ? e * lE : e;
    const fn = n > 0 ? n * lk : hasNorth ? n * lP[i]! : n;
    const fs = s > 0 ? (hasSouth ? s * lS[i]! : s) : s * lk;
    let hn = h[k]! + dt * ((fw - fe) * invDx + (fs - fn) * invDy + (rainField ? rain[k]! : rainU));
    if (!(hn >= 0)) {
      if (hn !== hn) bad = 1;
      else {
        clipped -= hn;
        hn = 0;
      }
    }
    h[k] = hn;
    if (hn > hMax) hMax = hn;
    qx[fx + i + 1] = fe;
    qy[k] = fn;
    hu[k] = 0.5 * (fw + fe);
    hv[k] = 0.5 * (fn + fs);
    fw = fe;
    lk = lE;
  }
  acc[ACC_CLIPPED] = acc[ACC_CLIPPED]! + clipped;
  if (bad) acc[ACC_BAD] = 1;
  acc[ACC_HMAX] = hMax;
}

/** The limited flows through the south edge (after the last row's update; a function of its own, as it runs once a step). */
function storeSouthEdge(d: StepData, yS: Float64Array, lC: Float64Array): void {
  const { qy, nx, ny } = d;
  const base = ny * nx;
  for (let i = 0; i < nx; i++) qy[base + i] = yS[i]! > 0 ? yS[i]! : yS[i]! * lC[i]!;
}

/**
 * Before the barrier: what the band needs from its neighbours' rows, from the
 * state at time n (the north faces of its first row and the factors of the
 * row above; the south faces of its last two rows and the factors of the row below).
 */
export function inertialHaloPass(ctx: InertialContext, band: Band, sc: InertialScratch): void {
  const d = stepData(ctx, sc);
  const { ny } = d;
  const { j0, j1 } = band;
  if (j0 > 0) {
    // row j0-1: its north faces (tmp), x-faces (tmp), south faces = the band's north faces, factors
    yFacesRow(d, j0 - 1, sc.ty);
    yFacesRow(d, j0, sc.northFaces);
    xFacesRow(d, j0 - 1, sc.tx);
    limiterRow(d, j0 - 1, sc.tx, sc.ty, sc.northFaces, sc.limAbove);
  }
  if (j1 < ny) {
    // the south faces of row j1-2 (they read the flows through row j1's north faces, which the next band updates)
    yFacesRow(d, j1 - 1, sc.southFaces2);
    // row j1: north faces = the band's south faces, x-faces and south faces (tmp), factors
    yFacesRow(d, j1, sc.southFaces);
    yFacesRow(d, j1 + 1, sc.ty);
    xFacesRow(d, j1, sc.tx);
    limiterRow(d, j1, sc.tx, sc.southFaces, sc.ty, sc.limBelow);
  }
}

/** After the barrier: the fused sweep over the band's rows, in place. */
export function inertialSweepPass(ctx: InertialContext, band: Band, sc: InertialScratch): void {
  const d = sc.step!;
  const { nx, ny, dt } = d;
  const { j0, j1 } = band;
  const acc = sc.acc;
  acc.fill(0);
  const xf = sc.xf;
  const yf = sc.yf;
  const lm = sc.lm;
  // face row j0 (north faces of the band's first row)
  let yN = yf[0]!;
  if (j0 > 0) yN.set(sc.northFaces);
  else yFacesRow(d, 0, yN);
  let lP = j0 > 0 ? sc.limAbove : lm[2]!;
  // prepare the first row
  let xC = xf[0]!;
  let yS = yf[1]!;
  let lC = lm[0]!;
  prepareRow(d, j0, j1, xC, yN, yS, lC, sc);
  let xNext = xf[1]!;
  let ySpare = yf[2]!;
  let lNext = lm[1]!;
  for (let j = j0; j < j1; j++) {
    let lS: Float64Array;
    if (j + 1 < j1) {
      // row j+1: its north faces are row j's south faces
      prepareRow(d, j + 1, j1, xNext, yS, ySpare, lNext, sc);
      lS = lNext;
    } else lS = j + 1 < ny ? sc.limBelow : lNext;
    updateRow(d, j, xC, yN, yS, lP, lC, lS, acc);
    // rotate: row j+1 becomes current
    const tx = xC;
    xC = xNext;
    xNext = tx;
    const ty = yN;
    yN = yS;
    yS = ySpare;
    ySpare = ty;
    const tl = lP === sc.limAbove ? lm[2]! : lP;
    lP = lC;
    lC = lNext;
    lNext = tl;
  }

  let inY = 0;
  let outY = 0;
  if (j0 === 0) {
    const qy = d.qy;
    for (let i = 0; i < nx; i++) {
      const fn = qy[i]!; // northward through the north edge: out
      if (fn > 0) outY += fn;
      else inY -= fn;
    }
  }
  if (j1 === ny) {
    const qy = d.qy;
    const base = ny * nx;
    for (let i = 0; i < nx; i++) {
      const fs = qy[base + i]!;
      if (fs > 0) inY += fs; // northward through the south edge: in
      else outY -= fs;
    }
  }
  const { dx, dy } = ctx.grid;
  const res = ctx.control.results;
  const o = band.index * RESULTS_STRIDE;
  res[o + R_IN] = dt * (acc[ACC_IN_X]! * dy + inY * dx);
  res[o + R_OUT] = dt * (acc[ACC_OUT_X]! * dy + outY * dx);
  res[o + R_CLIPPED] = acc[ACC_CLIPPED]! * dx * dy;
  res[o + R_BAD] = acc[ACC_BAD]!;
  res[o + R_SPEED] = acc[ACC_HMAX]!;
}

/**
 * Row j's x-faces, south faces (into yS) and factors; yN: its north faces.
 * The south faces of the band's last two rows come from haloPass (the
 * grid's south edge is computed here).
 */
function prepareRow(d: StepData, j: number, j1: number, xf: Float64Array, yN: Float64Array, yS: Float64Array, lim: Float64Array, sc: InertialScratch): void {
  if (j + 1 === d.ny) ySouthEdgeFaces(d, yS);
  else if (j + 1 === j1) yS.set(sc.southFaces);
  else if (j + 2 === j1 && j1 < d.ny) yS.set(sc.southFaces2);
  else yInteriorFaces(d, j + 1, yS);
  xFacesRow(d, j, xf);
  limiterRow(d, j, xf, yN, yS, lim);
}
