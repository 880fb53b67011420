/**
 * The fv time stepper: Heun's method in its strong-stability-preserving form
 * (SSP-RK2, Shu & Osher 1988; Gottlieb, Shu & Tadmor 2001):
 *
 *   U1 = U0 + dt L(U0)          (stage 1, friction implicit)
 *   U  = 1/2 U0 + 1/2 (U1 + dt L(U1))   (stage 2)
 *
 * a convex combination of forward-Euler steps, so positivity of each Euler
 * step under dt * max((|u|+c)/dx + (|v|+c)/dy) <= 1/2 carries over. The
 * stepping logic is written once and run by every thread on its band; the
 * caller passes the barrier that separates the stages.
 */
import { fillFvHalo } from '../boundaries/fv-halo';
import { FV_POSITIVITY_COURANT, GRAVITY } from '../constants';
import type { FvContext } from '../context';
import type { Band } from '../grid';
import { R_BAD, R_CLIPPED, R_IN, R_OUT, R_SPEED, RESULTS_STRIDE } from '../state';
import { fvStageSweep, type FvScratch } from './sweep';
import { velocityFactor } from './velocity';

/** One thread's part of a step; `barrier` waits for every thread. */
export function fvStepBand(ctx: FvContext, band: Band, scratch: FvScratch, barrier: () => void): void {
  const res = ctx.control.results;
  const o = band.index * RESULTS_STRIDE;
  res[o + R_SPEED] = 0;
  res[o + R_IN] = 0;
  res[o + R_OUT] = 0;
  res[o + R_CLIPPED] = 0;
  res[o + R_BAD] = 0;
  fvStageSweep(ctx, band, 1, scratch);
  barrier();
  fvStageSweep(ctx, band, 2, scratch);
}

/**
 * Primitives of cell k (padded index p) of the public state into set A; zeroes
 * the momentum of a dry cell. Returns the cell's (|u|+c)/dx + (|v|+c)/dy.
 */
export function fvCellPrimitives(ctx: FvContext, k: number, p: number): number {
  const A = ctx.arrays;
  const h = A.h[k]!;
  if (h <= ctx.tol) {
    A.hu[k] = 0;
    A.hv[k] = 0;
  }
  const f = velocityFactor(h, ctx.tol, ctx.eps4);
  const u = A.hu[k]! * f;
  const v = A.hv[k]! * f;
  A.aEta[p] = h + A.z[k]!;
  A.aH[p] = h;
  A.aU[p] = u;
  A.aV[p] = v;
  const c = Math.sqrt(GRAVITY * h);
  return (Math.abs(u) + c) / ctx.grid.dx + (Math.abs(v) + c) / ctx.grid.dy;
}

/** Primitives (set A, with its halo) of the whole public state; returns the largest wave-speed sum. */
export function fvAllPrimitives(ctx: FvContext): number {
  const { nx, ny, pw } = ctx.grid;
  let speed = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const s = fvCellPrimitives(ctx, j * nx + i, (j + 2) * pw + i + 2);
      if (s > speed) speed = s;
    }
  }
  const A = ctx.arrays;
  const g = fillFvHalo(ctx, { index: 0, j0: 0, j1: ny }, { eta: A.aEta, h: A.aH, u: A.aU, v: A.aV });
  return Math.max(speed, g);
}

/** The CFL step: cfl * 1/2 / max((|u|+c)/dx + (|v|+c)/dy); Infinity when still. */
export function fvStableDt(cfl: number, speed: number): number {
  return speed > 0 ? (cfl * FV_POSITIVITY_COURANT) / speed : Infinity;
}
