/**
 * The registration list: every WGSL kernel of the GPU flood solver, by scheme
 * (one file per kernel beside this one). The solver compiles the ones of its
 * scheme; the tests compile them all.
 */
import type { FloodScheme } from '../../types';
import type { KernelDef } from '../program';
import { CLOCK } from './clock';
import { FV_EDGE_SUM, INERTIAL_EDGE_SUM } from './edge-sum';
import { FINISH } from './finish';
import { FV_FLUX } from './fv-flux';
import { FV_HALO } from './fv-halo';
import { FV_UPDATE } from './fv-update';
import { FV_INFLOWS, INERTIAL_INFLOWS } from './inflows';
import { INERTIAL_FACE } from './inertial-face';
import { INERTIAL_LIMITER } from './inertial-limiter';
import { INERTIAL_UPDATE } from './inertial-update';
import { REDUCE } from './reduce';

export interface SchemeKernels {
  clock: KernelDef;
  reduce: KernelDef;
  edgeSum: KernelDef;
  inflows: KernelDef;
  finish: KernelDef;
}

export interface FvKernels extends SchemeKernels {
  flux: KernelDef;
  update: KernelDef;
  halo: KernelDef;
}

export interface InertialKernels extends SchemeKernels {
  face: KernelDef;
  limiter: KernelDef;
  update: KernelDef;
}

export const FV_KERNELS: FvKernels = {
  clock: CLOCK,
  reduce: REDUCE,
  flux: FV_FLUX,
  update: FV_UPDATE,
  halo: FV_HALO,
  edgeSum: FV_EDGE_SUM,
  inflows: FV_INFLOWS,
  finish: FINISH,
};

export const INERTIAL_KERNELS: InertialKernels = {
  clock: CLOCK,
  reduce: REDUCE,
  face: INERTIAL_FACE,
  limiter: INERTIAL_LIMITER,
  update: INERTIAL_UPDATE,
  edgeSum: INERTIAL_EDGE_SUM,
  inflows: INERTIAL_INFLOWS,
  finish: FINISH,
};

export function kernelsOf(scheme: FloodScheme): FvKernels | InertialKernels {
  return scheme === 'fv' ? FV_KERNELS : INERTIAL_KERNELS;
}

/** Every kernel once. */
export const ALL_KERNELS: readonly KernelDef[] = [...new Set([...Object.values(FV_KERNELS), ...Object.values(INERTIAL_KERNELS)])];
