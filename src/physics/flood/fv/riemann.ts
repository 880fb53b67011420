/**
 * Face flux: hydrostatic reconstruction (Audusse et al. 2004) + HLL.
 * The left state is the plus-face values of cell cL of L, the right state the
 * minus-face values of cell cR of R (eta, h, n = normal velocity, t =
 * tangential velocity). The bed at the face is z* = max(zL, zR) with
 * z = eta - h; the Riemann solver sees h* = max(0, eta - z*), which keeps
 * depths non-negative and a lake at rest exactly at rest. HLL uses
 * Einfeldt/Davis speeds, and Toro's dry-front speeds (u +- 2c) when one side
 * is dry. The tangential flux is upwinded with the mass flux (the HLLC contact
 * treatment).
 *
 * Writes slot f of F: f0 mass, f1L normal momentum seen by the left cell, f1R
 * seen by the right cell, f2 tangential momentum; f1L / f1R add the
 * hydrostatic corrections g/2 (h^2 - h*^2) of their side.
 */
import { GRAVITY } from '../constants';
import type { FaceValues } from './reconstruct';

export interface FaceFluxes {
  f0: Float64Array;
  f1L: Float64Array;
  f1R: Float64Array;
  f2: Float64Array;
}

/** The four arrays back to back in one block (f0 first), as the WebAssembly kernels address them. */
export function createFaceFluxes(length: number, block: Float64Array = new Float64Array(4 * length)): FaceFluxes {
  let at = 0;
  const a = () => block.subarray(at, (at += length));
  return { f0: a(), f1L: a(), f1R: a(), f2: a() };
}

/**
 * HLL flux of the 1D shallow-water system between (hL, nL) and (hR, nR) (the
 * star depths of the hydrostatic reconstruction): writes the mass flux to
 * F.f0[f] and returns the normal momentum flux.
 */
export function hllFlux(F: FaceFluxes, f: number, hL: number, nL: number, hR: number, nR: number): number {
  const g = GRAVITY;
  if (!(hL > 0 || hR > 0)) {
    F.f0[f] = 0;
    return 0;
  }
  const cL = Math.sqrt(g * hL);
  const cR = Math.sqrt(g * hR);
  let sL: number;
  let sR: number;
  if (hL <= 0) {
    sL = nR - 2 * cR;
    sR = nR + cR;
  } else if (hR <= 0) {
    sL = nL - cL;
    sR = nL + 2 * cL;
  } else {
    sL = Math.min(nL - cL, nR - cR);
    sR = Math.max(nL + cL, nR + cR);
  }
  const qL = hL * nL;
  const qR = hR * nR;
  const pL = qL * nL + 0.5 * g * hL * hL;
  const pR = qR * nR + 0.5 * g * hR * hR;
  if (sL >= 0) {
    F.f0[f] = qL;
    return pL;
  }
  if (sR <= 0) {
    F.f0[f] = qR;
    return pR;
  }
  const inv = 1 / (sR - sL);
  const ss = sL * sR;
  F.f0[f] = (sR * qL - sL * qR + ss * (hR - hL)) * inv;
  return (sR * pL - sL * pR + ss * (qR - qL)) * inv;
}

export function hydrostaticHllFlux(F: FaceFluxes, f: number, L: FaceValues, cL: number, R: FaceValues, cR: number): void {
  const etaL = L.pE[cL]!;
  const hL = L.pH[cL]!;
  const etaR = R.mE[cR]!;
  const hR = R.mH[cR]!;
  const zL = etaL - hL;
  const zR = etaR - hR;
  const zs = zL > zR ? zL : zR;
  const hsL = etaL > zs ? etaL - zs : 0;
  const hsR = etaR > zs ? etaR - zs : 0;
  const f1 = hllFlux(F, f, hsL, L.pN[cL]!, hsR, R.mN[cR]!);
  const hg = 0.5 * GRAVITY;
  F.f1L[f] = f1 + hg * (hL * hL - hsL * hsL);
  F.f1R[f] = f1 + hg * (hR * hR - hsR * hsR);
  const f0 = F.f0[f]!;
  F.f2[f] = f0 > 0 ? f0 * L.pT[cL]! : f0 * R.mT[cR]!;
}

/** Fluxes of `count` faces: face f between cell oL + f of L and cell oR + f of R. */
export function fluxLine(F: FaceFluxes, count: number, L: FaceValues, oL: number, R: FaceValues, oR: number): void {
  for (let f = 0; f < count; f++) hydrostaticHllFlux(F, f, L, oL + f, R, oR + f);
}
