/**
 * MUSCL reconstruction of one cell along one direction (minus = west/south
 * face, plus = east/north face). Limited slopes of the surface eta = h + z, the
 * depth h, the normal velocity n and the tangential velocity t; the bed at a
 * face is eta_f - h_f (Audusse et al. 2004, second order). A cell next to a
 * dry cell (h <= tol on either side) keeps zero slopes, so a lake at rest stays
 * at rest at a shoreline.
 *
 * Reads the padded primitive arrays at pm (minus neighbour), pc (the cell), pp
 * (plus neighbour); writes slot c of `r`. src = 2 (sh - se) with sh, se the half
 * slopes: the centred bed-slope source of the second-order hydrostatic
 * reconstruction is g h src / d.
 */
import { minmod } from './limiter';

/** Face values of a row of cells (structure of arrays). */
export interface FaceValues {
  mE: Float64Array;
  mH: Float64Array;
  mN: Float64Array;
  mT: Float64Array;
  pE: Float64Array;
  pH: Float64Array;
  pN: Float64Array;
  pT: Float64Array;
  src: Float64Array;
}

/** The nine arrays back to back in one block (mE first), as the WebAssembly kernels address them. */
export function createFaceValues(length: number, block: Float64Array = new Float64Array(9 * length)): FaceValues {
  let at = 0;
  const a = () => block.subarray(at, (at += length));
  return { mE: a(), mH: a(), mN: a(), mT: a(), pE: a(), pH: a(), pN: a(), pT: a(), src: a() };
}

export function reconstructCell(
  r: FaceValues,
  c: number,
  eta: Float64Array,
  h: Float64Array,
  n: Float64Array,
  t: Float64Array,
  pm: number,
  pc: number,
  pp: number,
  tol: number,
): void {
  const ec = eta[pc]!;
  const hc = h[pc]!;
  const nc = n[pc]!;
  const tc = t[pc]!;
  const hm = h[pm]!;
  const hp = h[pp]!;
  if (hm > tol && hc > tol && hp > tol) {
    const se = 0.5 * minmod(ec - eta[pm]!, eta[pp]! - ec);
    const sh = 0.5 * minmod(hc - hm, hp - hc);
    const sn = 0.5 * minmod(nc - n[pm]!, n[pp]! - nc);
    const st = 0.5 * minmod(tc - t[pm]!, t[pp]! - tc);
    r.mE[c] = ec - se;
    r.mH[c] = hc - sh;
    r.mN[c] = nc - sn;
    r.mT[c] = tc - st;
    r.pE[c] = ec + se;
    r.pH[c] = hc + sh;
    r.pN[c] = nc + sn;
    r.pT[c] = tc + st;
    r.src[c] = 2 * (sh - se);
  } else {
    r.mE[c] = ec;
    r.mH[c] = hc;
    r.mN[c] = nc;
    r.mT[c] = tc;
    r.pE[c] = ec;
    r.pH[c] = hc;
    r.pN[c] = nc;
    r.pT[c] = tc;
    r.src[c] = 0;
  }
}

/**
 * Reconstructs `count` consecutive cells of a padded row: cell c at padded
 * index p0 + c, its neighbours at -/+ stride (stride 1 along x; -pw along y,
 * so that minus = south and plus = north). n, t: normal and tangential velocity.
 */
export function reconstructLine(
  r: FaceValues,
  count: number,
  eta: Float64Array,
  h: Float64Array,
  n: Float64Array,
  t: Float64Array,
  p0: number,
  stride: number,
  tol: number,
): void {
  for (let c = 0; c < count; c++) {
    const p = p0 + c;
    reconstructCell(r, c, eta, h, n, t, p - stride, p, p + stride, tol);
  }
}
