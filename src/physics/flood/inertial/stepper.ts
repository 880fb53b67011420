/**
 * The inertial time stepper: explicit in the face flows and the depths
 * (Bates et al. 2010): new face flows and positivity factors, then the depth
 * update, fused into one sweep per band (sweep.ts); before it, behind a
 * barrier, each band computes what it needs from its neighbours' rows. The
 * step size dt = cfl * alpha * min(dx, dy) / sqrt(g h_max).
 */
import { GRAVITY, INERTIAL_ALPHA } from '../constants';
import type { InertialContext } from '../context';
import type { Band } from '../grid';
import { inertialHaloPass, inertialSweepPass, type InertialScratch } from './sweep';

export function inertialStepBand(ctx: InertialContext, band: Band, scratch: InertialScratch, barrier: () => void): void {
  inertialHaloPass(ctx, band, scratch);
  barrier();
  inertialSweepPass(ctx, band, scratch);
}

/** dt = cfl * alpha * min(dx, dy) / sqrt(g h_max); Infinity when no cell is wet. */
export function inertialStableDt(cfl: number, dx: number, dy: number, hMax: number, tol: number): number {
  return hMax > tol ? (cfl * INERTIAL_ALPHA * Math.min(dx, dy)) / Math.sqrt(GRAVITY * hMax) : Infinity;
}

/** Initial face flows from cell velocities: the mean of the neighbours' h u (edge faces: the edge cell's; walls: 0). */
export function initialFaceFlows(ctx: InertialContext, u0: Float64Array | undefined, v0: Float64Array | undefined): void {
  const { nx, ny } = ctx.grid;
  const { h, qx, qy, hu, hv } = ctx.arrays;
  const wall = ctx.kinds.map((k) => k === 0);
  if (u0) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i <= nx; i++) {
        const kL = j * nx + i - 1;
        const qL = i > 0 ? h[kL]! * u0[kL]! : NaN;
        const qR = i < nx ? h[kL + 1]! * u0[kL + 1]! : NaN;
        let q = i === 0 ? (wall[0] ? 0 : qR) : i === nx ? (wall[1] ? 0 : qL) : 0.5 * (qL + qR);
        if (!Number.isFinite(q)) q = 0;
        qx[j * (nx + 1) + i] = q;
      }
    }
  }
  if (v0) {
    for (let f = 0; f <= ny; f++) {
      for (let i = 0; i < nx; i++) {
        const kS = f * nx + i;
        const kN = kS - nx;
        const qS = f < ny ? h[kS]! * v0[kS]! : NaN;
        const qN = f > 0 ? h[kN]! * v0[kN]! : NaN;
        let q = f === 0 ? (wall[2] ? 0 : qS) : f === ny ? (wall[3] ? 0 : qN) : 0.5 * (qS + qN);
        if (!Number.isFinite(q)) q = 0;
        qy[f * nx + i] = q;
      }
    }
  }
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      hu[k] = 0.5 * (qx[j * (nx + 1) + i]! + qx[j * (nx + 1) + i + 1]!);
      hv[k] = 0.5 * (qy[k]! + qy[k + nx]!);
    }
  }
}
