/**
 * The passes of an inertial step over one thread's band:
 *
 * 1. facePass: new face flows qxNew / qyNew from the current flows and water
 *    surface (inertialFaceFlow), row by row, and right after each row its
 *    cells' positivity factors (outflowLimiter). Boundary faces take a ghost
 *    surface from their kind (wall: no flow; open: extrapolated falling
 *    surface; stage: the stage). A band owns the x-faces of its rows and the
 *    y-faces north of its rows (plus the south edge for the last band); the
 *    y-faces south of its last row belong to the next band, and the band
 *    computes them again, privately, for its last row's limiter (the same
 *    arithmetic on the same inputs, so the same bits).
 * 2. updatePass: each face's flow scaled by the factor of the cell it leaves,
 *    depth updated by the flux divergence plus rain, the limited flows stored
 *    as the current ones, the cell-centred h*u, h*v refreshed (face averages),
 *    edge flows summed for the mass balance.
 *
 * A barrier separates the passes (the update reads the neighbour band's
 * factors). The limiter moves the same volume out of one cell and into the
 * other, so mass is conserved exactly.
 */
import { openGhostEta } from '../boundaries/open';
import { stageGhostEta } from '../boundaries/stage';
import { wallFlow } from '../boundaries/wall';
import { BOUNDARY_OPEN, BOUNDARY_WALL, EAST, GRAVITY, INERTIAL_THETA, NORTH, SOUTH, WEST } from '../constants';
import type { InertialContext } from '../context';
import type { Band } from '../grid';
import { P_DT, P_RAIN, P_RAIN_FIELD, P_STAGE, R_BAD, R_CLIPPED, R_IN, R_OUT, R_SPEED, RESULTS_STRIDE } from '../state';
import { inertialFaceFlow, outflowLimiter } from './face';

/** Ghost water surface beyond an edge cell for a non-wall kind. */
function ghostEta(kind: number, etaEdge: number, etaInner: number, hInner: number, stage: number, tol: number): number {
  return kind === BOUNDARY_OPEN ? openGhostEta(etaEdge, etaInner, hInner, tol) : stageGhostEta(stage);
}

/** Interior x-faces 1..nx-1 of one row (face index f0 + i, cells k0 + i - 1 and k0 + i). */
function xFacesRow(
  qNew: Float64Array,
  q: Float64Array,
  h: Float64Array,
  z: Float64Array,
  gn2: Float64Array,
  f0: number,
  k0: number,
  nx: number,
  gx: number,
  hdt: number,
  tol: number,
): void {
  const th = INERTIAL_THETA;
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
    qNew[f0 + i] = inertialFaceFlow(qc, qm, qp, eL, eR, zL, zR, gx, hdt * (gL + gR), th, tol);
    qm = qc;
    qc = qp;
    zL = zR;
    eL = eR;
    gL = gR;
  }
}

/**
 * Interior y-faces of face row f (north face of row f, 1 <= f <= ny-1) into
 * out[o..o+nx): flow positive north, from cell (i, f) ("left") to (i, f-1).
 */
function yFacesRow(
  out: Float64Array,
  o: number,
  q: Float64Array,
  h: Float64Array,
  z: Float64Array,
  gn2: Float64Array,
  f: number,
  nx: number,
  gy: number,
  hdt: number,
  tol: number,
): void {
  const th = INERTIAL_THETA;
  const base = f * nx;
  for (let i = 0; i < nx; i++) {
    const kS = base + i;
    const kN = kS - nx;
    const zS = z[kS]!;
    const zN = z[kN]!;
    out[o + i] = inertialFaceFlow(q[kS]!, q[kS + nx]!, q[kN]!, h[kS]! + zS, h[kN]! + zN, zS, zN, gy, hdt * (gn2[kS]! + gn2[kN]!), th, tol);
  }
}

/** Positivity factors of row j's cells from its new face flows (north faces at yN[oN + i], south at yS[oS + i]). */
function limiterRow(
  lim: Float64Array,
  h: Float64Array,
  qx: Float64Array,
  yN: Float64Array,
  oN: number,
  yS: Float64Array,
  oS: number,
  fx: number,
  k0: number,
  nx: number,
  area: number,
  ax: number,
  ay: number,
): void {
  for (let i = 0; i < nx; i++) {
    const w = qx[fx + i]!;
    const e = qx[fx + i + 1]!;
    const n = yN[oN + i]!;
    const s = yS[oS + i]!;
    const out = ax * ((e > 0 ? e : 0) - (w < 0 ? w : 0)) + ay * ((n > 0 ? n : 0) - (s < 0 ? s : 0));
    lim[k0 + i] = outflowLimiter(h[k0 + i]! * area, out);
  }
}

/** Per-thread scratch: the y-faces south of the band's last row when they belong to the next band. */
export interface InertialScratch {
  southFaces: Float64Array;
}

export function createInertialScratch(nx: number): InertialScratch {
  return { southFaces: new Float64Array(nx) };
}

/** New face flows of the band (edges included) and the positivity factors of its cells. */
export function inertialFacePass(ctx: InertialContext, band: Band, scratch: InertialScratch): void {
  const { nx, ny, dx, dy } = ctx.grid;
  const A = ctx.arrays;
  const { h, z, gn2, qx, qy, qxNew, qyNew, lim } = A;
  const tol = ctx.tol;
  const params = ctx.control.params;
  const dt = params[P_DT]!;
  const th = INERTIAL_THETA;
  const gx = (GRAVITY * dt) / dx;
  const gy = (GRAVITY * dt) / dy;
  const hdt = 0.5 * dt;
  const nx1 = nx + 1;
  const kinds = ctx.kinds;
  const kw = kinds[WEST]!;
  const ke = kinds[EAST]!;
  const area = dx * dy;

  // the north faces of the band's first row
  if (band.j0 === 0) {
    const kn = kinds[NORTH]!;
    for (let i = 0; i < nx; i++) {
      if (kn === BOUNDARY_WALL) {
        qyNew[i] = wallFlow();
        continue;
      }
      const z0 = z[i]!;
      const e0 = h[i]! + z0;
      const i1 = ny > 1 ? i + nx : i;
      const eg = ghostEta(kn, e0, h[i1]! + z[i1]!, h[i1]!, params[P_STAGE + NORTH]!, tol);
      qyNew[i] = inertialFaceFlow(qy[i]!, qy[i + nx]!, qy[i]!, e0, eg, z0, z0, gy, dt * gn2[i]!, th, tol);
    }
  } else {
    yFacesRow(qyNew, band.j0 * nx, qy, h, z, gn2, band.j0, nx, gy, hdt, tol);
  }

  for (let j = band.j0; j < band.j1; j++) {
    const f0 = j * nx1;
    const k0 = j * nx;
    xFacesRow(qxNew, qx, h, z, gn2, f0, k0, nx, gx, hdt, tol);
    // west edge: ghost on the left of cell 0
    if (kw === BOUNDARY_WALL) qxNew[f0] = wallFlow();
    else {
      const z0 = z[k0]!;
      const e0 = h[k0]! + z0;
      const i1 = nx > 1 ? k0 + 1 : k0;
      const eg = ghostEta(kw, e0, h[i1]! + z[i1]!, h[i1]!, params[P_STAGE + WEST]!, tol);
      qxNew[f0] = inertialFaceFlow(qx[f0]!, qx[f0]!, qx[f0 + 1]!, eg, e0, z0, z0, gx, dt * gn2[k0]!, th, tol);
    }
    // east edge: ghost on the right of cell nx-1
    const fe = f0 + nx;
    if (ke === BOUNDARY_WALL) qxNew[fe] = wallFlow();
    else {
      const kn = k0 + nx - 1;
      const zn = z[kn]!;
      const en = h[kn]! + zn;
      const i1 = nx > 1 ? kn - 1 : kn;
      const eg = ghostEta(ke, en, h[i1]! + z[i1]!, h[i1]!, params[P_STAGE + EAST]!, tol);
      qxNew[fe] = inertialFaceFlow(qx[fe]!, qx[fe - 1]!, qx[fe]!, en, eg, zn, zn, gx, dt * gn2[kn]!, th, tol);
    }
    // the south faces of row j: shared (owned by this band, or the south edge) or a private copy
    let south = qyNew;
    let so = (j + 1) * nx;
    if (j + 1 === ny) {
      const ks = kinds[SOUTH]!;
      for (let i = 0; i < nx; i++) {
        const q = so + i;
        if (ks === BOUNDARY_WALL) {
          qyNew[q] = wallFlow();
          continue;
        }
        const kc = q - nx;
        const zc = z[kc]!;
        const ec = h[kc]! + zc;
        const i1 = ny > 1 ? kc - nx : kc;
        const eg = ghostEta(ks, ec, h[i1]! + z[i1]!, h[i1]!, params[P_STAGE + SOUTH]!, tol);
        qyNew[q] = inertialFaceFlow(qy[q]!, qy[q]!, qy[q - nx]!, eg, ec, zc, zc, gy, dt * gn2[kc]!, th, tol);
      }
    } else if (j + 1 === band.j1) {
      south = scratch.southFaces;
      so = 0;
      yFacesRow(south, 0, qy, h, z, gn2, j + 1, nx, gy, hdt, tol);
    } else {
      yFacesRow(qyNew, so, qy, h, z, gn2, j + 1, nx, gy, hdt, tol);
    }
    limiterRow(lim, h, qxNew, qyNew, k0, south, so, f0, k0, nx, area, dt * dy, dt * dx);
  }
}

export function inertialUpdatePass(ctx: InertialContext, band: Band): void {
  const { nx, ny, dx, dy } = ctx.grid;
  const A = ctx.arrays;
  const { h, hu, hv, qx, qy, qxNew, qyNew, lim, rain } = A;
  const params = ctx.control.params;
  const dt = params[P_DT]!;
  const rainField = params[P_RAIN_FIELD]! !== 0;
  const rainU = params[P_RAIN]!;
  const invDx = 1 / dx;
  const invDy = 1 / dy;
  const nx1 = nx + 1;
  let inX = 0;
  let outX = 0;
  let inY = 0;
  let outY = 0;
  let clipped = 0;
  let bad = 0;
  let hMax = 0;
  for (let j = band.j0; j < band.j1; j++) {
    const fx = j * nx1;
    const k0 = j * nx;
    const hasNorth = j > 0;
    const hasSouth = j < ny - 1;
    for (let i = 0; i < nx; i++) {
      const k = k0 + i;
      const lk = lim[k]!;
      const w = qxNew[fx + i]!;
      const e = qxNew[fx + i + 1]!;
      const n = qyNew[k]!;
      const s = qyNew[k + nx]!;
      const fw = w > 0 ? (i > 0 ? w * lim[k - 1]! : w) : w * lk;
      const fe = e > 0 ? e * lk : i < nx - 1 ? e * lim[k + 1]! : e;
      const fn = n > 0 ? n * lk : hasNorth ? n * lim[k - nx]! : n;
      const fs = s > 0 ? (hasSouth ? s * lim[k + nx]! : s) : s * lk;
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
    }
    // the west edge face (the loop stores east faces) and the edge flows for the balance
    const fw = qxNew[fx]! > 0 ? qxNew[fx]! : qxNew[fx]! * lim[k0]!;
    qx[fx] = fw;
    if (fw > 0) inX += fw;
    else outX -= fw;
    const fe = qx[fx + nx]!;
    if (fe > 0) outX += fe;
    else inX -= fe;
  }
  if (band.j0 === 0) {
    for (let i = 0; i < nx; i++) {
      const fn = qy[i]!; // northward through the north edge: out
      if (fn > 0) outY += fn;
      else inY -= fn;
    }
  }
  if (band.j1 === ny) {
    const base = ny * nx;
    for (let i = 0; i < nx; i++) {
      const s = qyNew[base + i]!;
      const fs = s > 0 ? s : s * lim[base - nx + i]!;
      qy[base + i] = fs;
      if (fs > 0) inY += fs; // northward through the south edge: in
      else outY -= fs;
    }
  }
  const res = ctx.control.results;
  const o = band.index * RESULTS_STRIDE;
  res[o + R_IN] = dt * (inX * dy + inY * dx);
  res[o + R_OUT] = dt * (outX * dy + outY * dx);
  res[o + R_CLIPPED] = clipped * dx * dy;
  res[o + R_BAD] = bad;
  res[o + R_SPEED] = hMax;
}
