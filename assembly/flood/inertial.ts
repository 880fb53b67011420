/**
 * WebAssembly row kernels of the inertial scheme: the interior loops of
 * ../../src/physics/flood/inertial/sweep.ts (x faces, y faces, positivity
 * factors, cell update) with the face flow of inertial/face.ts, operation for
 * operation, so the results are bit-identical to the TypeScript kernels
 * (test/validation/flood/wasm.test.ts). Arguments are byte addresses of
 * Float64Array views into the solver's shared linear memory, already offset
 * to the row; i indexes cells / faces along the row.
 */
import { cbrt } from './cbrt';

// @ts-ignore: decorator
@inline
function faceFlow(q: f64, qm: f64, qp: f64, etaL: f64, etaR: f64, zL: f64, zR: f64, gDtOverD: f64, dtGn2: f64, theta: f64, tol: f64): f64 {
  const hf = (etaL > etaR ? etaL : etaR) - (zL > zR ? zL : zR);
  if (!(hf > tol)) return 0;
  const qa = theta * q + 0.5 * (1 - theta) * (qm + qp);
  const num = qa - gDtOverD * hf * (etaR - etaL);
  if (dtGn2 == 0) return num;
  const h73 = hf * hf * cbrt(hf);
  return (2 * num * h73) / (h73 + Math.sqrt(h73 * h73 + 4 * dtGn2 * Math.abs(num) * h73));
}

/** out[i] for the interior x-faces i = 1..nx-1 of a row: h, z, gn2 at the row's cells, q at its faces. */
export function xInteriorFaces(h: usize, z: usize, gn2: usize, q: usize, out: usize, nx: i32, gx: f64, hdt: f64, theta: f64, tol: f64): void {
  let zL = load<f64>(z);
  let eL = load<f64>(h) + zL;
  let gL = load<f64>(gn2);
  let qm = load<f64>(q);
  let qc = load<f64>(q, 8);
  for (let i = 1; i < nx; i++) {
    const o = <usize>i << 3;
    const zR = load<f64>(z + o);
    const eR = load<f64>(h + o) + zR;
    const gR = load<f64>(gn2 + o);
    const qp = load<f64>(q + o, 8);
    store<f64>(out + o, faceFlow(qc, qm, qp, eL, eR, zL, zR, gx, hdt * (gL + gR), theta, tol));
    qm = qc;
    qc = qp;
    zL = zR;
    eL = eR;
    gL = gR;
  }
}

/**
 * out[i] for the y-faces between row S (h, z, gn2, q at its cells / south... )
 * and the row north of it, `stride` bytes back: q at the face row, qS one face row south.
 */
export function yInteriorFaces(h: usize, z: usize, gn2: usize, q: usize, out: usize, nx: i32, stride: usize, gy: f64, hdt: f64, theta: f64, tol: f64): void {
  for (let i = 0; i < nx; i++) {
    const o = <usize>i << 3;
    const zS = load<f64>(z + o);
    const zN = load<f64>(z + o - stride);
    const f = faceFlow(
      load<f64>(q + o),
      load<f64>(q + o + stride),
      load<f64>(q + o - stride),
      load<f64>(h + o) + zS,
      load<f64>(h + o - stride) + zN,
      zS,
      zN,
      gy,
      hdt * (load<f64>(gn2 + o) + load<f64>(gn2 + o - stride)),
      theta,
      tol,
    );
    store<f64>(out + o, f);
  }
}

/** Positivity factors of a row's cells: min(1, h A / (dt * outflow)). */
export function limiterRow(h: usize, nx: i32, xf: usize, yN: usize, yS: usize, out: usize, area: f64, ax: f64, ay: f64): void {
  for (let i = 0; i < nx; i++) {
    const o = <usize>i << 3;
    const w = load<f64>(xf + o);
    const e = load<f64>(xf + o, 8);
    const n = load<f64>(yN + o);
    const s = load<f64>(yS + o);
    const ov = ax * ((e > 0 ? e : 0) - (w < 0 ? w : 0)) + ay * ((n > 0 ? n : 0) - (s < 0 ? s : 0));
    const v = load<f64>(h + o) * area;
    store<f64>(out + o, ov > v ? v / ov : 1);
  }
}

/**
 * The cell loop of updateRow (sweep.ts): limited flows, new depth (clipped at
 * 0), stored flows and cell discharges. fw: the limited west edge flow.
 * acc: [clipped, bad, hMax] in and out. lP / lS are read only where the row
 * has a north / south neighbour. rain: the row's rain field, or 0 for uniform rainU.
 */
export function updateRow(
  h: usize, hu: usize, hv: usize, qx: usize, qy: usize, rain: usize,
  xf: usize, yN: usize, yS: usize, lP: usize, lC: usize, lS: usize,
  nx: i32, hasNorth: bool, hasSouth: bool, fw0: f64,
  dt: f64, invDx: f64, invDy: f64, rainU: f64, acc: usize,
): void {
  let clipped: f64 = 0;
  let bad: f64 = 0;
  let hMax = load<f64>(acc, 16);
  let fw = fw0;
  let lk = load<f64>(lC);
  const last = nx - 1;
  for (let i = 0; i < nx; i++) {
    const o = <usize>i << 3;
    const e = load<f64>(xf + o, 8);
    const n = load<f64>(yN + o);
    const s = load<f64>(yS + o);
    const lE = i < last ? load<f64>(lC + o, 8) : 0;
    const fe = e > 0 ? e * lk : i < last ? e * lE : e;
    const fn = n > 0 ? n * lk : hasNorth ? n * load<f64>(lP + o) : n;
    const fs = s > 0 ? (hasSouth ? s * load<f64>(lS + o) : s) : s * lk;
    let hn = load<f64>(h + o) + dt * ((fw - fe) * invDx + (fs - fn) * invDy + (rain != 0 ? load<f64>(rain + o) : rainU));
    if (!(hn >= 0)) {
      if (hn != hn) bad = 1;
      else {
        clipped -= hn;
        hn = 0;
      }
    }
    store<f64>(h + o, hn);
    if (hn > hMax) hMax = hn;
    store<f64>(qx + o, fe, 8);
    store<f64>(qy + o, fn);
    store<f64>(hu + o, 0.5 * (fw + fe));
    store<f64>(hv + o, 0.5 * (fn + fs));
    fw = fe;
    lk = lE;
  }
  store<f64>(acc, load<f64>(acc) + clipped);
  if (bad != 0) store<f64>(acc, 1, 8);
  store<f64>(acc, hMax, 16);
}
