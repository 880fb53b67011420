/**
 * WebAssembly row kernels of the fv scheme: the line passes of
 * ../../src/physics/flood/fv/sweep.ts (MUSCL reconstruction, hydrostatic HLL
 * fluxes, the cell update with implicit friction), operation for operation,
 * so the results are bit-identical to the TypeScript kernels. Row buffers are
 * contiguous: a FaceValues block of length L holds mE, mH, mN, mT, pE, pH,
 * pN, pT, src (each L values); a FaceFluxes block f0, f1L, f1R, f2. Addresses
 * are byte offsets into the solver's shared memory.
 */
import { cbrt } from './cbrt';

const G: f64 = 9.81;
const SQRT2: f64 = 1.4142135623730951;

// @ts-ignore: decorator
@inline
function minmod(a: f64, b: f64): f64 {
  if (a > 0) return b > 0 ? (a < b ? a : b) : 0;
  if (a < 0) return b < 0 ? (a > b ? a : b) : 0;
  return 0;
}

// @ts-ignore: decorator
@inline
function reconstructOne(r: usize, b: usize, p: usize, eta: usize, h: usize, n: usize, t: usize, stride: usize, tol: f64): void {
  const o = p; // slot c of each array of r
  const ec = load<f64>(eta + p);
  const hc = load<f64>(h + p);
  const nc = load<f64>(n + p);
  const tc = load<f64>(t + p);
  const hm = load<f64>(h + p - stride);
  const hp = load<f64>(h + p + stride);
  if (hm > tol && hc > tol && hp > tol) {
    const se = 0.5 * minmod(ec - load<f64>(eta + p - stride), load<f64>(eta + p + stride) - ec);
    const sh = 0.5 * minmod(hc - hm, hp - hc);
    const sn = 0.5 * minmod(nc - load<f64>(n + p - stride), load<f64>(n + p + stride) - nc);
    const st = 0.5 * minmod(tc - load<f64>(t + p - stride), load<f64>(t + p + stride) - tc);
    store<f64>(r + o, ec - se);
    store<f64>(r + b + o, hc - sh);
    store<f64>(r + 2 * b + o, nc - sn);
    store<f64>(r + 3 * b + o, tc - st);
    store<f64>(r + 4 * b + o, ec + se);
    store<f64>(r + 5 * b + o, hc + sh);
    store<f64>(r + 6 * b + o, nc + sn);
    store<f64>(r + 7 * b + o, tc + st);
    store<f64>(r + 8 * b + o, 2 * (sh - se));
  } else {
    store<f64>(r + o, ec);
    store<f64>(r + b + o, hc);
    store<f64>(r + 2 * b + o, nc);
    store<f64>(r + 3 * b + o, tc);
    store<f64>(r + 4 * b + o, ec);
    store<f64>(r + 5 * b + o, hc);
    store<f64>(r + 6 * b + o, nc);
    store<f64>(r + 7 * b + o, tc);
    store<f64>(r + 8 * b + o, 0);
  }
}

/**
 * minmod on two lanes, equal to the scalar one: where the signs agree it
 * keeps the smaller magnitude (pmin of positives, pmax of negatives: single
 * instructions, unlike f64x2.min, and equal here as no -0 or NaN is involved).
 */
// @ts-ignore: decorator
@inline
function minmod2(a: v128, b: v128): v128 {
  const zero = f64x2.splat(0);
  const aPos = f64x2.gt(a, zero);
  const agree = v128.or(v128.and(aPos, f64x2.gt(b, zero)), v128.and(f64x2.lt(a, zero), f64x2.lt(b, zero)));
  return v128.and(v128.bitselect(f64x2.pmin(a, b), f64x2.pmax(a, b), aPos), agree);
}

/** Limited half slope of one variable on two lanes: 1/2 minmod(c - cm, cp - c). */
// @ts-ignore: decorator
@inline
function slope2(cm: v128, c: v128, cp: v128): v128 {
  return f64x2.mul(f64x2.splat(0.5), minmod2(f64x2.sub(c, cm), f64x2.sub(cp, c)));
}

/**
 * fvReconstructLine: `count` cells from padded address p0 (byte offsets into
 * eta, h, n, t), neighbours `stride` bytes apart, into the FaceValues block r
 * of length L (all nine arrays).
 */
export function fvReconstructLine(r: usize, L: i32, count: i32, eta: usize, h: usize, n: usize, t: usize, stride: isize, tol: f64): void {
  // Only the band prologue uses it (two rows per band and stage): scalar is enough.
  const b = <usize>L << 3;
  for (let c = 0; c < count; c++) reconstructOne(r, b, <usize>c << 3, eta, h, n, t, <usize>stride, tol);
}

/** The hydrostatic HLL flux of one face from its two states (tL/tR: tangential velocities), into slot fo of a FaceFluxes block. */
// @ts-ignore: decorator
@inline
function hll(fo: usize, bF: usize, etaL: f64, hL: f64, nL: f64, tL: f64, etaR: f64, hR: f64, nR: f64, tR: f64): void {
  const hg = 0.5 * G;
  const zL = etaL - hL;
  const zR = etaR - hR;
  const zs = zL > zR ? zL : zR;
  const hsL = etaL > zs ? etaL - zs : 0;
  const hsR = etaR > zs ? etaR - zs : 0;
  let m0: f64 = 0;
  let f1: f64 = 0;
  if (hsL > 0 || hsR > 0) {
    const cL = Math.sqrt(G * hsL);
    const cR = Math.sqrt(G * hsR);
    let sL: f64;
    let sR: f64;
    if (hsL <= 0) {
      sL = nR - 2 * cR;
      sR = nR + cR;
    } else if (hsR <= 0) {
      sL = nL - cL;
      sR = nL + 2 * cL;
    } else {
      sL = Math.min(nL - cL, nR - cR);
      sR = Math.max(nL + cL, nR + cR);
    }
    const qL = hsL * nL;
    const qR = hsR * nR;
    const pL = qL * nL + 0.5 * G * hsL * hsL;
    const pR = qR * nR + 0.5 * G * hsR * hsR;
    if (sL >= 0) {
      m0 = qL;
      f1 = pL;
    } else if (sR <= 0) {
      m0 = qR;
      f1 = pR;
    } else {
      const inv = 1 / (sR - sL);
      const ss = sL * sR;
      m0 = (sR * qL - sL * qR + ss * (hsR - hsL)) * inv;
      f1 = (sR * pL - sL * pR + ss * (qR - qL)) * inv;
    }
  }
  store<f64>(fo, m0);
  store<f64>(fo + bF, f1 + hg * (hL * hL - hsL * hsL));
  store<f64>(fo + 2 * bF, f1 + hg * (hR * hR - hsR * hsR));
  store<f64>(fo + 3 * bF, m0 > 0 ? m0 * tL : m0 * tR);
}

/** hll on two faces (lanes): every branch computed, selected by the scalar conditions. */
// @ts-ignore: decorator
@inline
function hll2(fo: usize, bF: usize, etaL: v128, hL: v128, nL: v128, tL: v128, etaR: v128, hR: v128, nR: v128, tR: v128): void {
  const g = f64x2.splat(G);
  const hgv = f64x2.splat(0.5 * G);
  const half = f64x2.splat(0.5);
  const two = f64x2.splat(2);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  const zL = f64x2.sub(etaL, hL);
  const zR = f64x2.sub(etaR, hR);
  const zs = v128.bitselect(zL, zR, f64x2.gt(zL, zR));
  const hsL = v128.bitselect(f64x2.sub(etaL, zs), zero, f64x2.gt(etaL, zs));
  const hsR = v128.bitselect(f64x2.sub(etaR, zs), zero, f64x2.gt(etaR, zs));
  const cL = f64x2.sqrt(f64x2.mul(g, hsL));
  const cR = f64x2.sqrt(f64x2.mul(g, hsR));
  const wetL = f64x2.gt(hsL, zero);
  const wetR = f64x2.gt(hsR, zero);
  // both sides wet on both lanes (the common case): no dry-bed speeds to select
  const bothWet = v128.all_true<i64>(v128.and(wetL, wetR));
  let sL = f64x2.pmin(f64x2.sub(nL, cL), f64x2.sub(nR, cR));
  let sR = f64x2.pmax(f64x2.add(nL, cL), f64x2.add(nR, cR));
  if (!bothWet) {
    const dryL = f64x2.le(hsL, zero);
    const dryR = f64x2.le(hsR, zero);
    sL = v128.bitselect(f64x2.sub(nR, f64x2.mul(two, cR)), v128.bitselect(f64x2.sub(nL, cL), sL, dryR), dryL);
    sR = v128.bitselect(f64x2.add(nR, cR), v128.bitselect(f64x2.add(nL, f64x2.mul(two, cL)), sR, dryR), dryL);
  }
  const qL = f64x2.mul(hsL, nL);
  const qR = f64x2.mul(hsR, nR);
  const pL = f64x2.add(f64x2.mul(qL, nL), f64x2.mul(f64x2.mul(f64x2.mul(half, g), hsL), hsL));
  const pR = f64x2.add(f64x2.mul(qR, nR), f64x2.mul(f64x2.mul(f64x2.mul(half, g), hsR), hsR));
  const inv = f64x2.div(one, f64x2.sub(sR, sL));
  const ss = f64x2.mul(sL, sR);
  const m0g = f64x2.mul(f64x2.add(f64x2.sub(f64x2.mul(sR, qL), f64x2.mul(sL, qR)), f64x2.mul(ss, f64x2.sub(hsR, hsL))), inv);
  const f1g = f64x2.mul(f64x2.add(f64x2.sub(f64x2.mul(sR, pL), f64x2.mul(sL, pR)), f64x2.mul(ss, f64x2.sub(qR, qL))), inv);
  const upL = f64x2.ge(sL, zero);
  const upR = f64x2.le(sR, zero);
  let m0 = v128.bitselect(qL, v128.bitselect(qR, m0g, upR), upL);
  let f1 = v128.bitselect(pL, v128.bitselect(pR, f1g, upR), upL);
  if (!bothWet) {
    const wet = v128.or(wetL, wetR);
    m0 = v128.and(m0, wet);
    f1 = v128.and(f1, wet);
  }
  v128.store(fo, m0);
  v128.store(fo + bF, f64x2.add(f1, f64x2.mul(hgv, f64x2.sub(f64x2.mul(hL, hL), f64x2.mul(hsL, hsL)))));
  v128.store(fo + 2 * bF, f64x2.add(f1, f64x2.mul(hgv, f64x2.sub(f64x2.mul(hR, hR), f64x2.mul(hsR, hsR)))));
  v128.store(fo + 3 * bF, v128.bitselect(f64x2.mul(m0, tL), f64x2.mul(m0, tR), f64x2.gt(m0, zero)));
}

/**
 * fvFluxLine: `count` faces, face f between cell oL + f of FaceValues block L
 * (length lenL) and cell oR + f of block R (length lenR), into the FaceFluxes
 * block F (length lenF). Two faces per iteration: every branch of the scalar
 * HLL is computed on both lanes and selected by the same conditions.
 */
export function fvFluxLine(F: usize, lenF: i32, count: i32, L: usize, lenL: i32, oL: i32, R: usize, lenR: i32, oR: i32): void {
  const bF = <usize>lenF << 3;
  const bL = <usize>lenL << 3;
  const bR = <usize>lenR << 3;
  let f = 0;
  for (; f + 1 < count; f += 2) {
    const cl = L + (<usize>(oL + f) << 3);
    const cr = R + (<usize>(oR + f) << 3);
    hll2(
      F + (<usize>f << 3), bF,
      v128.load(cl + 4 * bL), v128.load(cl + 5 * bL), v128.load(cl + 6 * bL), v128.load(cl + 7 * bL),
      v128.load(cr), v128.load(cr + bR), v128.load(cr + 2 * bR), v128.load(cr + 3 * bR),
    );
  }
  if (f < count) {
    const cl = L + (<usize>(oL + f) << 3);
    const cr = R + (<usize>(oR + f) << 3);
    hll(
      F + (<usize>f << 3), bF,
      load<f64>(cl + 4 * bL), load<f64>(cl + 5 * bL), load<f64>(cl + 6 * bL), load<f64>(cl + 7 * bL),
      load<f64>(cr), load<f64>(cr + bR), load<f64>(cr + 2 * bR), load<f64>(cr + 3 * bR),
    );
  }
}

/**
 * fvXPass: the x reconstruction of a row fused with its x-face fluxes, so the
 * face values stay in registers: cells -1..nx (padded addresses eta.. at cell
 * -1, u normal, v tangential), writing only x.src (FaceValues block x of
 * length nx + 2) and the fluxes of faces 0..nx (FaceFluxes block fx of
 * length nx + 1). The same arithmetic as fvReconstructLine + fvFluxLine.
 */
export function fvXPass(x: usize, fx: usize, nx: i32, eta: usize, h: usize, u: usize, v: usize, tol: f64): void {
  const count = nx + 2;
  const bX = <usize>count << 3;
  const bF = <usize>(nx + 1) << 3;
  const src = x + 8 * bX;
  // slot 0 (cell -1), scalar: its plus values are the left state of face 0
  reconstructOne(x, bX, 0, eta, h, u, v, 8, tol);
  let pE = f64x2.splat(load<f64>(x + 4 * bX));
  let pH = f64x2.splat(load<f64>(x + 5 * bX));
  let pN = f64x2.splat(load<f64>(x + 6 * bX));
  let pT = f64x2.splat(load<f64>(x + 7 * bX));
  const tolv = f64x2.splat(tol);
  const two = f64x2.splat(2);
  const zero = f64x2.splat(0);
  let s = 1;
  for (; s + 1 < count; s += 2) {
    const p = <usize>s << 3;
    const ec = v128.load(eta + p);
    const hc = v128.load(h + p);
    const nc = v128.load(u + p);
    const tc = v128.load(v + p);
    const hm = v128.load(h + p - 8);
    const hp = v128.load(h + p + 8);
    const wet = v128.and(v128.and(f64x2.gt(hm, tolv), f64x2.gt(hc, tolv)), f64x2.gt(hp, tolv));
    const se = slope2(v128.load(eta + p - 8), ec, v128.load(eta + p + 8));
    const sh = slope2(hm, hc, hp);
    const sn = slope2(v128.load(u + p - 8), nc, v128.load(u + p + 8));
    const sT = slope2(v128.load(v + p - 8), tc, v128.load(v + p + 8));
    // faces s-1 and s: left = plus values of slots s-1, s; right = minus values of slots s, s+1
    let srcV = f64x2.mul(two, f64x2.sub(sh, se));
    let cE = f64x2.add(ec, se);
    let cH = f64x2.add(hc, sh);
    let cN = f64x2.add(nc, sn);
    let cT = f64x2.add(tc, sT);
    let mE = f64x2.sub(ec, se);
    let mH = f64x2.sub(hc, sh);
    let mN = f64x2.sub(nc, sn);
    let mT = f64x2.sub(tc, sT);
    if (!v128.all_true<i64>(wet)) {
      // first order where a neighbour is dry
      srcV = v128.bitselect(srcV, zero, wet);
      cE = v128.bitselect(cE, ec, wet);
      cH = v128.bitselect(cH, hc, wet);
      cN = v128.bitselect(cN, nc, wet);
      cT = v128.bitselect(cT, tc, wet);
      mE = v128.bitselect(mE, ec, wet);
      mH = v128.bitselect(mH, hc, wet);
      mN = v128.bitselect(mN, nc, wet);
      mT = v128.bitselect(mT, tc, wet);
    }
    v128.store(src + p, srcV);
    hll2(
      fx + ((<usize>s - 1) << 3), bF,
      v128.shuffle<f64>(pE, cE, 1, 2), v128.shuffle<f64>(pH, cH, 1, 2), v128.shuffle<f64>(pN, cN, 1, 2), v128.shuffle<f64>(pT, cT, 1, 2),
      mE, mH, mN, mT,
    );
    pE = cE;
    pH = cH;
    pN = cN;
    pT = cT;
  }
  if (s < count) {
    // the last slot, scalar
    reconstructOne(x, bX, <usize>s << 3, eta, h, u, v, 8, tol);
    const o = <usize>s << 3;
    hll(
      fx + ((<usize>s - 1) << 3), bF,
      f64x2.extract_lane(pE, 1), f64x2.extract_lane(pH, 1), f64x2.extract_lane(pN, 1), f64x2.extract_lane(pT, 1),
      load<f64>(x + o), load<f64>(x + bX + o), load<f64>(x + 2 * bX + o), load<f64>(x + 3 * bX + o),
    );
  }
}

/**
 * fvYPass: the y reconstruction of the next row (block yN, length nx, from
 * padded addresses at its first cell, neighbours `stride` bytes apart) fused
 * with the fluxes through the faces between it and the current row (block yC,
 * whose minus values are the right states) into FaceFluxes block g (length
 * nx). The next row's plus values are used here only, so they stay in
 * registers; its minus values and src are stored for the next row. The same
 * arithmetic as fvReconstructLine + fvFluxLine.
 */
export function fvYPass(yN: usize, yC: usize, g: usize, nx: i32, eta: usize, h: usize, n: usize, t: usize, stride: isize, tol: f64): void {
  const b = <usize>nx << 3;
  const st = <usize>stride;
  const tolv = f64x2.splat(tol);
  const two = f64x2.splat(2);
  const zero = f64x2.splat(0);
  let c = 0;
  for (; c + 1 < nx; c += 2) {
    const p = <usize>c << 3;
    const ec = v128.load(eta + p);
    const hc = v128.load(h + p);
    const nc = v128.load(n + p);
    const tc = v128.load(t + p);
    const hm = v128.load(h + p - st);
    const hp = v128.load(h + p + st);
    const wet = v128.and(v128.and(f64x2.gt(hm, tolv), f64x2.gt(hc, tolv)), f64x2.gt(hp, tolv));
    const se = slope2(v128.load(eta + p - st), ec, v128.load(eta + p + st));
    const sh = slope2(hm, hc, hp);
    const sn = slope2(v128.load(n + p - st), nc, v128.load(n + p + st));
    const sT = slope2(v128.load(t + p - st), tc, v128.load(t + p + st));
    let srcV = f64x2.mul(two, f64x2.sub(sh, se));
    let pE = f64x2.add(ec, se);
    let pH = f64x2.add(hc, sh);
    let pN = f64x2.add(nc, sn);
    let pT = f64x2.add(tc, sT);
    let mE = f64x2.sub(ec, se);
    let mH = f64x2.sub(hc, sh);
    let mN = f64x2.sub(nc, sn);
    let mT = f64x2.sub(tc, sT);
    if (!v128.all_true<i64>(wet)) {
      // first order where a neighbour is dry
      srcV = v128.bitselect(srcV, zero, wet);
      pE = v128.bitselect(pE, ec, wet);
      pH = v128.bitselect(pH, hc, wet);
      pN = v128.bitselect(pN, nc, wet);
      pT = v128.bitselect(pT, tc, wet);
      mE = v128.bitselect(mE, ec, wet);
      mH = v128.bitselect(mH, hc, wet);
      mN = v128.bitselect(mN, nc, wet);
      mT = v128.bitselect(mT, tc, wet);
    }
    v128.store(yN + p, mE);
    v128.store(yN + b + p, mH);
    v128.store(yN + 2 * b + p, mN);
    v128.store(yN + 3 * b + p, mT);
    v128.store(yN + 8 * b + p, srcV);
    hll2(
      g + p, b,
      pE, pH, pN, pT,
      v128.load(yC + p), v128.load(yC + b + p), v128.load(yC + 2 * b + p), v128.load(yC + 3 * b + p),
    );
  }
  if (c < nx) {
    const p = <usize>c << 3;
    reconstructOne(yN, b, p, eta, h, n, t, st, tol);
    hll(
      g + p, b,
      load<f64>(yN + 4 * b + p), load<f64>(yN + 5 * b + p), load<f64>(yN + 6 * b + p), load<f64>(yN + 7 * b + p),
      load<f64>(yC + p), load<f64>(yC + b + p), load<f64>(yC + 2 * b + p), load<f64>(yC + 3 * b + p),
    );
  }
}

/**
 * fvUpdateRow: updateRow of sweep.ts for one row: cells k0.. (conservative arrays hP is
 * padded: hP, oEta.. at padded p0) — all row addresses already offset.
 * x: FaceValues block (length nx + 2, slot i + 1 = cell i), y: block of
 * length nx; fx (length nx + 1), gN, gS (length nx) FaceFluxes blocks.
 * hOut: 0 in stage 1 (U1's depth lives on as the primitive oH).
 * io: [clipped, bad, speed] in/out.
 */
export function fvUpdateRow(
  hP: usize, huIn: usize, hvIn: usize, hB: usize, huB: usize, hvB: usize,
  hOut: usize, huOut: usize, hvOut: usize, oEta: usize, oH: usize, oU: usize, oV: usize,
  z: usize, gn2: usize, rain: usize,
  nx: i32, fx: usize, gN: usize, gS: usize, x: usize, y: usize,
  dx: f64, dy: f64, dt: f64, a: f64, b: f64, rainU: f64, tol: f64, eps4: f64, speedWanted: bool, acc: usize,
): void {
  const bFx = <usize>(nx + 1) << 3;
  const bG = <usize>nx << 3;
  const bX = <usize>(nx + 2) << 3;
  const bY = <usize>nx << 3;
  const invDx = 1 / dx;
  const invDy = 1 / dy;
  const gDx = G / dx;
  const gDy = G / dy;
  let clipped: f64 = 0;
  let bad: f64 = 0;
  let speed = load<f64>(acc, 16);

  // Two cells per iteration; the scalar loop below finishes an odd row.
  const invDxV = f64x2.splat(invDx);
  const invDyV = f64x2.splat(invDy);
  const gDxV = f64x2.splat(gDx);
  const gDyV = f64x2.splat(gDy);
  const dtV = f64x2.splat(dt);
  const tolV = f64x2.splat(tol);
  const eps4V = f64x2.splat(eps4);
  const aV = f64x2.splat(a);
  const bV = f64x2.splat(b);
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  const two = f64x2.splat(2);
  const four = f64x2.splat(4);
  const gV = f64x2.splat(G);
  const sqrt2 = f64x2.splat(SQRT2);
  const rainV = f64x2.splat(rainU);
  let speedV = f64x2.splat(speed);
  let i0 = 0;
  for (; i0 + 1 < nx; i0 += 2) {
    const o = <usize>i0 << 3;
    const hc = v128.load(hP + o);
    const fxo = fx + o;
    const dH = f64x2.add(
      f64x2.mul(f64x2.sub(v128.load(fxo), v128.load(fxo, 8)), invDxV),
      f64x2.mul(f64x2.sub(v128.load(gS + o), v128.load(gN + o)), invDyV),
    );
    const dHU = f64x2.add(
      f64x2.add(
        f64x2.mul(f64x2.sub(v128.load(fxo + 2 * bFx), v128.load(fxo + bFx, 8)), invDxV),
        f64x2.mul(f64x2.mul(gDxV, hc), v128.load(x + 8 * bX + o, 8)),
      ),
      f64x2.mul(f64x2.sub(v128.load(gS + 3 * bG + o), v128.load(gN + 3 * bG + o)), invDyV),
    );
    const dHV = f64x2.add(
      f64x2.add(
        f64x2.mul(f64x2.sub(v128.load(fxo + 3 * bFx), v128.load(fxo + 3 * bFx, 8)), invDxV),
        f64x2.mul(f64x2.sub(v128.load(gS + 2 * bG + o), v128.load(gN + bG + o)), invDyV),
      ),
      f64x2.mul(f64x2.mul(gDyV, hc), v128.load(y + 8 * bY + o)),
    );
    let hT = f64x2.add(hc, f64x2.mul(dtV, f64x2.add(dH, rain != 0 ? v128.load(rain + o) : rainV)));
    let huT = f64x2.add(v128.load(huIn + o), f64x2.mul(dtV, dHU));
    let hvT = f64x2.add(v128.load(hvIn + o), f64x2.mul(dtV, dHV));
    const wet = f64x2.gt(hT, tolV);
    if (!v128.all_true<i64>(wet)) {
      // dry lanes: NaN flags the run, negative depths are clipped (booked in lane order, as the scalar loop does)
      const h0 = f64x2.extract_lane(hT, 0);
      const h1 = f64x2.extract_lane(hT, 1);
      if (!(h0 > tol)) {
        if (h0 != h0) bad = 1;
        else if (h0 < 0) clipped -= h0;
      }
      if (!(h1 > tol)) {
        if (h1 != h1) bad = 1;
        else if (h1 < 0) clipped -= h1;
      }
      hT = v128.bitselect(zero, hT, f64x2.lt(hT, zero));
    }
    const gk = v128.load(gn2 + o);
    const rub = v128.and(wet, f64x2.gt(gk, zero));
    if (v128.any_true(rub)) {
      const c0 = cbrt(f64x2.extract_lane(hT, 0));
      const c1 = cbrt(f64x2.extract_lane(hT, 1));
      const h73 = f64x2.mul(f64x2.mul(hT, hT), f64x2.replace_lane(f64x2.splat(c0), 1, c1));
      const q = f64x2.sqrt(f64x2.add(f64x2.mul(huT, huT), f64x2.mul(hvT, hvT)));
      const r = f64x2.div(
        f64x2.mul(two, h73),
        f64x2.add(h73, f64x2.sqrt(f64x2.add(f64x2.mul(h73, h73), f64x2.mul(f64x2.mul(f64x2.mul(four, f64x2.mul(dtV, gk)), q), h73)))),
      );
      huT = v128.bitselect(f64x2.mul(huT, r), huT, rub);
      hvT = v128.bitselect(f64x2.mul(hvT, r), hvT, rub);
    }
    huT = v128.and(huT, wet);
    hvT = v128.and(hvT, wet);
    const hN = f64x2.add(f64x2.mul(aV, v128.load(hB + o)), f64x2.mul(bV, hT));
    const moving = v128.not(f64x2.le(hN, tolV)); // as the scalar `hN <= tol`, NaN included
    const huN = v128.and(f64x2.add(f64x2.mul(aV, v128.load(huB + o)), f64x2.mul(bV, huT)), moving);
    const hvN = v128.and(f64x2.add(f64x2.mul(aV, v128.load(hvB + o)), f64x2.mul(bV, hvT)), moving);
    if (hOut != 0) v128.store(hOut + o, hN);
    v128.store(huOut + o, huN);
    v128.store(hvOut + o, hvN);
    const h2 = f64x2.mul(hN, hN);
    const h4 = f64x2.mul(h2, h2);
    const deep = f64x2.ge(h4, eps4V);
    // the desingularised branch costs a division and a root: only when a lane needs it
    const inverse = f64x2.div(one, hN);
    const vf = v128.and(
      v128.all_true<i64>(deep) ? inverse : v128.bitselect(inverse, f64x2.div(f64x2.mul(sqrt2, hN), f64x2.sqrt(f64x2.add(h4, eps4V))), deep),
      moving,
    );
    const uN = f64x2.mul(huN, vf);
    const vN = f64x2.mul(hvN, vf);
    v128.store(oEta + o, f64x2.add(hN, v128.load(z + o)));
    v128.store(oH + o, hN);
    v128.store(oU + o, uN);
    v128.store(oV + o, vN);
    if (speedWanted) {
      const c = f64x2.sqrt(f64x2.mul(gV, hN));
      const sp = f64x2.add(f64x2.mul(f64x2.add(f64x2.abs(uN), c), invDxV), f64x2.mul(f64x2.add(f64x2.abs(vN), c), invDyV));
      speedV = v128.bitselect(sp, speedV, f64x2.gt(sp, speedV));
    }
  }
  const s0 = f64x2.extract_lane(speedV, 0);
  const s1 = f64x2.extract_lane(speedV, 1);
  speed = s1 > s0 ? s1 : s0;

  for (let i = i0; i < nx; i++) {
    const o = <usize>i << 3;
    const hc = load<f64>(hP + o);
    const fxo = fx + o;
    const dH = (load<f64>(fxo) - load<f64>(fxo, 8)) * invDx + (load<f64>(gS + o) - load<f64>(gN + o)) * invDy;
    const dHU =
      (load<f64>(fxo + 2 * bFx) - load<f64>(fxo + bFx, 8)) * invDx +
      gDx * hc * load<f64>(x + 8 * bX + o, 8) +
      (load<f64>(gS + 3 * bG + o) - load<f64>(gN + 3 * bG + o)) * invDy;
    const dHV =
      (load<f64>(fxo + 3 * bFx) - load<f64>(fxo + 3 * bFx, 8)) * invDx +
      (load<f64>(gS + 2 * bG + o) - load<f64>(gN + bG + o)) * invDy +
      gDy * hc * load<f64>(y + 8 * bY + o);
    let hT = hc + dt * (dH + (rain != 0 ? load<f64>(rain + o) : rainU));
    const hu0 = load<f64>(huIn + o);
    const hv0 = load<f64>(hvIn + o);
    let huT = hu0 + dt * dHU;
    let hvT = hv0 + dt * dHV;
    if (!(hT > tol)) {
      if (hT != hT) bad = 1;
      else if (hT < 0) {
        clipped -= hT;
        hT = 0;
      }
      huT = 0;
      hvT = 0;
    } else {
      const gk = load<f64>(gn2 + o);
      if (gk > 0) {
        const h73 = hT * hT * cbrt(hT);
        const r = (2 * h73) / (h73 + Math.sqrt(h73 * h73 + 4 * (dt * gk) * Math.sqrt(huT * huT + hvT * hvT) * h73));
        huT *= r;
        hvT *= r;
      }
    }
    const hN = a * load<f64>(hB + o) + b * hT;
    let huN = a * load<f64>(huB + o) + b * huT;
    let hvN = a * load<f64>(hvB + o) + b * hvT;
    if (hN <= tol) {
      huN = 0;
      hvN = 0;
    }
    if (hOut != 0) store<f64>(hOut + o, hN);
    store<f64>(huOut + o, huN);
    store<f64>(hvOut + o, hvN);
    // velocityFactor
    let vf: f64 = 0;
    if (hN > tol) {
      const h2 = hN * hN;
      const h4 = h2 * h2;
      vf = h4 >= eps4 ? 1 / hN : (SQRT2 * hN) / Math.sqrt(h4 + eps4);
    }
    const uN = huN * vf;
    const vN = hvN * vf;
    store<f64>(oEta + o, hN + load<f64>(z + o));
    store<f64>(oH + o, hN);
    store<f64>(oU + o, uN);
    store<f64>(oV + o, vN);
    if (speedWanted) {
      const c = Math.sqrt(G * hN);
      const s = (Math.abs(uN) + c) * invDx + (Math.abs(vN) + c) * invDy;
      if (s > speed) speed = s;
    }
  }
  store<f64>(acc, load<f64>(acc) + clipped);
  if (bad != 0) store<f64>(acc, 1, 8);
  store<f64>(acc, speed, 16);
}
