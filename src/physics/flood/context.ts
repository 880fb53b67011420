/**
 * What a band program (the per-thread part of a step) needs: geometry,
 * constants, boundary kinds, the field views and the control block. Built from
 * a serialisable spec plus buffers, the same way on the main thread and in a worker.
 */
import { DESINGULARISATION_FACTOR, type BoundaryKind } from './constants';
import { createGrid, type FloodGrid } from './grid';
import {
  viewControl,
  viewFields,
  type Control,
  type ControlBuffers,
  type FieldBuffers,
  type FvArrays,
  type InertialArrays,
} from './state';
import type { FloodScheme } from './types';
import { instantiateFloodWasm, type FloodWasm } from './wasm/kernels';

/** Plain data: crosses to a worker as workerData. */
export interface ContextSpec {
  scheme: FloodScheme;
  nx: number;
  ny: number;
  dx: number;
  dy: number;
  /** Dry tolerance (m). */
  tol: number;
  /** Boundary kind per side, in SIDES order (west, east, north, south). */
  kinds: [BoundaryKind, BoundaryKind, BoundaryKind, BoundaryKind];
  cfl: number;
  threads: number;
}

export interface BaseContext {
  readonly spec: ContextSpec;
  readonly grid: FloodGrid;
  readonly tol: number;
  /** (DESINGULARISATION_FACTOR * tol)^4 for the Kurganov-Petrova velocity. */
  readonly eps4: number;
  readonly kinds: readonly BoundaryKind[];
  readonly control: Control;
  /** This thread's instance of the WebAssembly kernels when the fields live in their memory. */
  readonly wasm: FloodWasm | null;
}

export interface FvContext extends BaseContext {
  readonly arrays: FvArrays;
}

export interface InertialContext extends BaseContext {
  readonly arrays: InertialArrays;
}

export function createContext(spec: ContextSpec, fields: FieldBuffers, control: ControlBuffers): FvContext | InertialContext {
  const eps = DESINGULARISATION_FACTOR * spec.tol;
  const base = {
    spec,
    grid: createGrid(spec.nx, spec.ny, spec.dx, spec.dy),
    tol: spec.tol,
    eps4: eps * eps * eps * eps,
    kinds: spec.kinds,
    control: viewControl(control),
    wasm: fields.kind === 'memory' ? instantiateFloodWasm(fields.memory) : null,
  };
  return spec.scheme === 'fv'
    ? { ...base, arrays: viewFields<FvArrays>(fields) }
    : { ...base, arrays: viewFields<InertialArrays>(fields) };
}
