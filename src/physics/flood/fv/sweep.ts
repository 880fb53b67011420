/**
 * One SSP-RK2 stage of the fv scheme over one thread's band of rows:
 *
 *   U~ = U + dt L(U),  L(U) = -dF/dx - dG/dy + S_bed + S_rain,  then friction (implicit),
 *   U_out = a U0 + b U~   (stage 1: a = 0, b = 1; stage 2: a = b = 1/2).
 *
 * Row by row, through small line passes over per-thread row buffers (each a
 * tight loop over one pure kernel, so the JIT inlines it and keeps numbers
 * unboxed): reconstruct the row along x (cells -1..nx), x-face fluxes
 * (faces 0..nx), reconstruct the next row along y, the fluxes through the
 * row's south faces (the north faces come from the previous row), then the
 * cell update. The new state's primitives (eta, h, u, v) go to the other
 * padded set, and the band's halo of that set is filled. A stage reads only
 * the input set and writes only its band's rows, so bands run in parallel
 * between barriers. Edge fluxes are summed for the mass balance with the
 * stage's weight in the final state (1/2 for both stages).
 */
import { fillFvHalo, type Prims } from '../boundaries/fv-halo';
import { GRAVITY } from '../constants';
import type { FvContext } from '../context';
import type { Band } from '../grid';
import { P_DT, P_RAIN, P_RAIN_FIELD, R_BAD, R_CLIPPED, R_IN, R_OUT, R_SPEED, RESULTS_STRIDE } from '../state';
import { frictionFactor } from './friction';
import { createFaceValues, reconstructLine, type FaceValues } from './reconstruct';
import { createFaceFluxes, fluxLine, type FaceFluxes } from './riemann';
import { velocityFactor } from './velocity';
import type { FloodWasm } from '../wasm/kernels';

/** Per-thread row buffers. */
export interface FvScratch {
  /** x reconstruction of cells -1..nx of the current row (slot i + 1). */
  x: FaceValues;
  /** x-face fluxes of the current row (slot i = west face of cell i). */
  fx: FaceFluxes;
  /** y reconstruction of the current row and of the next one (swapped each row). */
  yCur: FaceValues;
  yNext: FaceValues;
  /** y-face fluxes through the current row's north faces and south faces (swapped each row). */
  gNorth: FaceFluxes;
  gSouth: FaceFluxes;
  /** clipped volume (m of depth), bad flag, max wave-speed sum of the row updates. */
  acc: Float64Array;
}

/** Float64 values of one thread's scratch (carved from the solver's memory when the WebAssembly kernels run). */
export function fvScratchLength(nx: number): number {
  return 9 * (nx + 2) + 4 * (nx + 1) + 2 * 9 * nx + 2 * 4 * nx + 3;
}

export function createFvScratch(nx: number, region: Float64Array = new Float64Array(fvScratchLength(nx))): FvScratch {
  let at = 0;
  const take = (n: number) => region.subarray(at, (at += n));
  return {
    x: createFaceValues(nx + 2, take(9 * (nx + 2))),
    fx: createFaceFluxes(nx + 1, take(4 * (nx + 1))),
    yCur: createFaceValues(nx, take(9 * nx)),
    yNext: createFaceValues(nx, take(9 * nx)),
    gNorth: createFaceFluxes(nx, take(4 * nx)),
    gSouth: createFaceFluxes(nx, take(4 * nx)),
    acc: take(3),
  };
}

/** reconstructLine on the WebAssembly kernels when they run. */
function reconstruct(w: FloodWasm | null, r: FaceValues, count: number, eta: Float64Array, h: Float64Array, n: Float64Array, t: Float64Array, p0: number, stride: number, tol: number): void {
  if (w) w.fvReconstructLine(r.mE.byteOffset, r.mE.length, count, eta.byteOffset + 8 * p0, h.byteOffset + 8 * p0, n.byteOffset + 8 * p0, t.byteOffset + 8 * p0, 8 * stride, tol);
  else reconstructLine(r, count, eta, h, n, t, p0, stride, tol);
}

/** fluxLine on the WebAssembly kernels when they run. */
function fluxes(w: FloodWasm | null, F: FaceFluxes, count: number, L: FaceValues, oL: number, R: FaceValues, oR: number): void {
  if (w) w.fvFluxLine(F.f0.byteOffset, F.f0.length, count, L.mE.byteOffset, L.mE.length, oL, R.mE.byteOffset, R.mE.length, oR);
  else fluxLine(F, count, L, oL, R, oR);
}

const ACC_CLIPPED = 0;
const ACC_BAD = 1;
const ACC_SPEED = 2;

/** Weight of each stage's edge fluxes and clipping in the final state of the step. */
const STAGE_WEIGHT = 0.5;

/** Everything the cell update of a stage reads and writes. */
interface StageIO {
  hP: Float64Array;
  huIn: Float64Array;
  hvIn: Float64Array;
  hB: Float64Array;
  huB: Float64Array;
  hvB: Float64Array;
  /** null in stage 1: U1's depth is only needed as the primitive h (out.h). */
  hOut: Float64Array | null;
  huOut: Float64Array;
  hvOut: Float64Array;
  out: Prims;
  z: Float64Array;
  gn2: Float64Array;
  rain: Float64Array;
}

/**
 * The cell update of row j (cells k0..k0+nx-1, padded p0..): flux divergence,
 * centred bed source, rain; positivity clip (accounted) and dry-cell momentum;
 * implicit friction; the RK combination; the new primitives.
 */
function updateRow(
  io: StageIO,
  nx: number,
  k0: number,
  p0: number,
  fx: FaceFluxes,
  gN: FaceFluxes,
  gS: FaceFluxes,
  x: FaceValues,
  y: FaceValues,
  dx: number,
  dy: number,
  dt: number,
  a: number,
  b: number,
  rainU: number,
  rainField: boolean,
  tol: number,
  eps4: number,
  speedWanted: boolean,
  acc: Float64Array,
): void {
  const { hP, huIn, hvIn, hB, huB, hvB, hOut, huOut, hvOut, z, gn2, rain } = io;
  const { eta: oEta, h: oH, u: oU, v: oV } = io.out;
  const fx0 = fx.f0;
  const fx1L = fx.f1L;
  const fx1R = fx.f1R;
  const fx2 = fx.f2;
  const gn0 = gN.f0;
  const gn1 = gN.f1L;
  const gn2f = gN.f2;
  const gs0 = gS.f0;
  const gs1 = gS.f1R;
  const gs2 = gS.f2;
  const xSrc = x.src;
  const ySrc = y.src;
  const g = GRAVITY;
  const invDx = 1 / dx;
  const invDy = 1 / dy;
  const gDx = g / dx;
  const gDy = g / dy;
  let clipped = 0;
  let bad = 0;
  let speed = acc[ACC_SPEED]!;
  for (let i = 0; i < nx; i++) {
    const k = k0 + i;
    const p = p0 + i;
    const hc = hP[p]!;
    const dH = (fx0[i]! - fx0[i + 1]!) * invDx + (gs0[i]! - gn0[i]!) * invDy;
    const dHU = (fx1R[i]! - fx1L[i + 1]!) * invDx + gDx * hc * xSrc[i + 1]! + (gs2[i]! - gn2f[i]!) * invDy;
    const dHV = (fx2[i]! - fx2[i + 1]!) * invDx + (gs1[i]! - gn1[i]!) * invDy + gDy * hc * ySrc[i]!;
    let hT = hc + dt * (dH + (rainField ? rain[k]! : rainU));
    const hu0 = huIn[k]!;
    const hv0 = hvIn[k]!;
    let huT = hu0 + dt * dHU;
    let hvT = hv0 + dt * dHV;
    if (!(hT > tol)) {
      if (hT !== hT) bad = 1;
      else if (hT < 0) {
        clipped -= hT;
        hT = 0;
      }
      huT = 0;
      hvT = 0;
    } else {
      const gk = gn2[k]!;
      if (gk > 0) {
        const r = frictionFactor(dt * gk, hT, huT, hvT);
        huT *= r;
        hvT *= r;
      }
    }
    const hN = a * hB[k]! + b * hT;
    let huN = a * huB[k]! + b * huT;
    let hvN = a * hvB[k]! + b * hvT;
    if (hN <= tol) {
      huN = 0;
      hvN = 0;
    }
    if (hOut) hOut[k] = hN;
    huOut[k] = huN;
    hvOut[k] = hvN;
    const vf = velocityFactor(hN, tol, eps4);
    const uN = huN * vf;
    const vN = hvN * vf;
    oEta[p] = hN + z[k]!;
    oH[p] = hN;
    oU[p] = uN;
    oV[p] = vN;
    if (speedWanted) {
      const c = Math.sqrt(g * hN);
      const s = (Math.abs(uN) + c) * invDx + (Math.abs(vN) + c) * invDy;
      if (s > speed) speed = s;
    }
  }
  acc[ACC_CLIPPED] = acc[ACC_CLIPPED]! + clipped;
  if (bad) acc[ACC_BAD] = 1;
  acc[ACC_SPEED] = speed;
}

/** updateRow on the WebAssembly kernels: the same arguments, as addresses. */
function updateRowWasm(
  w: FloodWasm,
  io: StageIO,
  nx: number,
  k0: number,
  p0: number,
  fx: FaceFluxes,
  gN: FaceFluxes,
  gS: FaceFluxes,
  x: FaceValues,
  y: FaceValues,
  dx: number,
  dy: number,
  dt: number,
  a: number,
  b: number,
  rainU: number,
  rainField: boolean,
  tol: number,
  eps4: number,
  speedWanted: boolean,
  acc: Float64Array,
): void {
  // byte addresses of row k0 (cells) and p0 (padded): plain arithmetic, no closures in a per-row call
  const c = 8 * k0;
  const p = 8 * p0;
  const { out } = io;
  w.fvUpdateRow(
    io.hP.byteOffset + p, io.huIn.byteOffset + c, io.hvIn.byteOffset + c, io.hB.byteOffset + c, io.huB.byteOffset + c, io.hvB.byteOffset + c,
    io.hOut ? io.hOut.byteOffset + c : 0, io.huOut.byteOffset + c, io.hvOut.byteOffset + c,
    out.eta.byteOffset + p, out.h.byteOffset + p, out.u.byteOffset + p, out.v.byteOffset + p,
    io.z.byteOffset + c, io.gn2.byteOffset + c, rainField ? io.rain.byteOffset + c : 0,
    nx, fx.f0.byteOffset, gN.f0.byteOffset, gS.f0.byteOffset, x.mE.byteOffset, y.mE.byteOffset,
    dx, dy, dt, a, b, rainU, tol, eps4, speedWanted ? 1 : 0, acc.byteOffset,
  );
}

export function fvStageSweep(ctx: FvContext, band: Band, stage: 1 | 2, sc: FvScratch): void {
  const { nx, ny, pw, dx, dy } = ctx.grid;
  const A = ctx.arrays;
  const tol = ctx.tol;
  const params = ctx.control.params;
  const dt = params[P_DT]!;
  const first = stage === 1;
  const eta = first ? A.aEta : A.bEta;
  const hP = first ? A.aH : A.bH;
  const uP = first ? A.aU : A.bU;
  const vP = first ? A.aV : A.bV;
  const io: StageIO = {
    hP,
    huIn: first ? A.hu : A.hu1,
    hvIn: first ? A.hv : A.hv1,
    hB: A.h,
    huB: A.hu,
    hvB: A.hv,
    hOut: first ? null : A.h,
    huOut: first ? A.hu1 : A.hu,
    hvOut: first ? A.hv1 : A.hv,
    out: first ? { eta: A.bEta, h: A.bH, u: A.bU, v: A.bV } : { eta: A.aEta, h: A.aH, u: A.aU, v: A.aV },
    z: A.z,
    gn2: A.gn2,
    rain: A.rain,
  };
  const a = first ? 0 : 0.5;
  const b = first ? 1 : 0.5;
  const rainField = params[P_RAIN_FIELD]! !== 0;
  const rainU = params[P_RAIN]!;
  const { x, fx, acc } = sc;
  let { yCur, yNext, gNorth, gSouth } = sc;
  acc.fill(0);
  let inX = 0;
  let outX = 0;
  let inY = 0;
  let outY = 0;

  // Band prologue: y reconstruction of row j0 and j0-1, flux through row j0's north faces.
  const row0 = (band.j0 + 2) * pw + 2;
  const kw = ctx.wasm;
  reconstruct(kw, yCur, nx, eta, hP, vP, uP, row0, -pw, tol);
  reconstruct(kw, yNext, nx, eta, hP, vP, uP, row0 - pw, -pw, tol);
  fluxes(kw, gNorth, nx, yCur, 0, yNext, 0);
  if (band.j0 === 0) {
    for (let i = 0; i < nx; i++) {
      const f = gNorth.f0[i]!; // northward through the north edge: out
      if (f > 0) outY += f;
      else inY -= f;
    }
  }

  for (let j = band.j0; j < band.j1; j++) {
    const row = (j + 2) * pw + 2;
    if (kw) kw.fvXPass(x.mE.byteOffset, fx.f0.byteOffset, nx, eta.byteOffset + 8 * (row - 1), hP.byteOffset + 8 * (row - 1), uP.byteOffset + 8 * (row - 1), vP.byteOffset + 8 * (row - 1), tol);
    else {
      reconstructLine(x, nx + 2, eta, hP, uP, vP, row - 1, 1, tol);
      fluxLine(fx, nx + 1, x, 0, x, 1);
    }
    if (kw) {
      const a = 8 * (row + pw);
      kw.fvYPass(yNext.mE.byteOffset, yCur.mE.byteOffset, gSouth.f0.byteOffset, nx, eta.byteOffset + a, hP.byteOffset + a, vP.byteOffset + a, uP.byteOffset + a, -8 * pw, tol);
    } else {
      reconstructLine(yNext, nx, eta, hP, vP, uP, row + pw, -pw, tol);
      fluxLine(gSouth, nx, yNext, 0, yCur, 0);
    }
    if (kw) updateRowWasm(kw, io, nx, j * nx, row, fx, gNorth, gSouth, x, yCur, dx, dy, dt, a, b, rainU, rainField, tol, ctx.eps4, !first, acc);
    else updateRow(io, nx, j * nx, row, fx, gNorth, gSouth, x, yCur, dx, dy, dt, a, b, rainU, rainField, tol, ctx.eps4, !first, acc);
    const fw = fx.f0[0]!; // eastward through the west edge: in
    if (fw > 0) inX += fw;
    else outX -= fw;
    const fe = fx.f0[nx]!; // eastward through the east edge: out
    if (fe > 0) outX += fe;
    else inX -= fe;
    // the next row's current y values and north fluxes are this row's next / south ones
    const ty = yCur;
    yCur = yNext;
    yNext = ty;
    const tg = gNorth;
    gNorth = gSouth;
    gSouth = tg;
  }
  if (band.j1 === ny) {
    for (let i = 0; i < nx; i++) {
      const f = gNorth.f0[i]!; // northward through the south edge: in
      if (f > 0) inY += f;
      else outY -= f;
    }
  }
  sc.yCur = yCur;
  sc.yNext = yNext;
  sc.gNorth = gNorth;
  sc.gSouth = gSouth;

  const ghostSpeed = fillFvHalo(ctx, band, io.out);
  const res = ctx.control.results;
  const o = band.index * RESULTS_STRIDE;
  const w = STAGE_WEIGHT * dt;
  res[o + R_IN] = res[o + R_IN]! + w * (inX * dy + inY * dx);
  res[o + R_OUT] = res[o + R_OUT]! + w * (outX * dy + outY * dx);
  res[o + R_CLIPPED] = res[o + R_CLIPPED]! + STAGE_WEIGHT * acc[ACC_CLIPPED]! * dx * dy;
  if (acc[ACC_BAD]) res[o + R_BAD] = 1;
  if (!first) res[o + R_SPEED] = Math.max(acc[ACC_SPEED]!, ghostSpeed);
}
