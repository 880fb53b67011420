/**
 * The solver's memory: every field is a flat Float64Array, allocated on a
 * SharedArrayBuffer when several threads step it, so a worker rebuilds the same
 * views from the buffers it is handed. The layout (names and lengths) is data,
 * so the main thread, the workers and (later) the WGSL port agree on it.
 */
import type { FloodGrid } from './grid';

/** Fields every scheme has: bed, friction, the public state and the rain field. */
export interface CommonArrays {
  /** Bed elevation (m), per cell. */
  z: Float64Array;
  /** g n^2 per cell (Manning), so friction needs no multiply by g. */
  gn2: Float64Array;
  /** Public cell-centred state: depth and unit discharges (v positive north). */
  h: Float64Array;
  hu: Float64Array;
  hv: Float64Array;
  /** Per-cell rain rate (m/s); empty when the setup has no rain. */
  rain: Float64Array;
}

/** fv: the SSP-RK2 stage state U1 and two padded sets of primitives (eta, h, u, v), A for U0 and B for U1. */
export interface FvArrays extends CommonArrays {
  hu1: Float64Array;
  hv1: Float64Array;
  aEta: Float64Array;
  aH: Float64Array;
  aU: Float64Array;
  aV: Float64Array;
  bEta: Float64Array;
  bH: Float64Array;
  bU: Float64Array;
  bV: Float64Array;
  /** The threads' row buffers (fv/sweep.ts), when the WebAssembly kernels run; else empty. */
  scratch: Float64Array;
}

/**
 * inertial: face unit discharges (m^2/s). qx / qy hold the current (limited)
 * flows. The freshly computed flows of a step and the per-cell positivity
 * factors live in per-thread row buffers of the sweep (inertial/sweep.ts);
 * the GPU port keeps them as whole-grid arrays of its own.
 */
export interface InertialArrays extends CommonArrays {
  qx: Float64Array;
  qy: Float64Array;
  /** The threads' row buffers (inertial/sweep.ts), when the WebAssembly kernels run; else empty. */
  scratch: Float64Array;
}

function layoutCommon(grid: FloodGrid, rain: boolean): Record<keyof CommonArrays, number> {
  const n = grid.cells;
  return { z: n, gn2: n, h: n, hu: n, hv: n, rain: rain ? n : 0 };
}

/** scratch: the values of every thread's row buffers together (0: each thread allocates its own). */
export function fvLayout(grid: FloodGrid, rain: boolean, scratch = 0): Record<keyof FvArrays, number> {
  const n = grid.cells;
  const p = grid.paddedCells;
  return {
    ...layoutCommon(grid, rain),
    hu1: n,
    hv1: n,
    aEta: p,
    aH: p,
    aU: p,
    aV: p,
    bEta: p,
    bH: p,
    bU: p,
    bV: p,
    scratch,
  };
}

/** scratch: the values of every thread's row buffers together (0: each thread allocates its own). */
export function inertialLayout(grid: FloodGrid, rain: boolean, scratch = 0): Record<keyof InertialArrays, number> {
  const { nx, ny } = grid;
  return {
    ...layoutCommon(grid, rain),
    qx: (nx + 1) * ny,
    qy: nx * (ny + 1),
    scratch,
  };
}

/**
 * Where the fields live. `memory`: one WebAssembly.Memory (shared, fixed size)
 * holding every field at a byte offset, so the WebAssembly kernels (wasm/)
 * and every thread's typed-array views see the same numbers; below
 * FIELDS_BASE it keeps the kernels' static data and tables. `buffers`: one
 * buffer per field, for the GPU solver's host copy and for grids too large
 * for a 32-bit address space (TypeScript kernels only).
 */
export type FieldBuffers =
  | { kind: 'memory'; memory: WebAssembly.Memory; offsets: Record<string, number>; lengths: Record<string, number> }
  | { kind: 'buffers'; buffers: Record<string, ArrayBuffer | SharedArrayBuffer> };

/** Byte address of the first field; the WebAssembly kernels' data and tables live below it. */
export const FIELDS_BASE = 1 << 20;
const PAGE = 65536;
/** A wasm32 memory addresses at most 4 GiB. */
const MAX_PAGES = 65536;

/**
 * Allocates the fields zeroed: in one WebAssembly memory when `memory` is
 * asked for and the layout fits in it, else one (shared) buffer per field.
 */
export function allocateFields(layout: Record<string, number>, options: { shared: boolean; memory: boolean }): FieldBuffers {
  if (options.memory) {
    const offsets: Record<string, number> = {};
    let end = FIELDS_BASE;
    for (const [name, length] of Object.entries(layout)) {
      offsets[name] = end;
      end += Math.ceil((length * Float64Array.BYTES_PER_ELEMENT) / 64) * 64; // cache-line aligned
    }
    const pages = Math.ceil(end / PAGE);
    if (pages <= MAX_PAGES) {
      try {
        const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
        return { kind: 'memory', memory, offsets, lengths: { ...layout } };
      } catch (err) {
        if (!(err instanceof RangeError)) throw err; // could not reserve it: fall back to buffers
      }
    }
  }
  const buffers: Record<string, ArrayBuffer | SharedArrayBuffer> = {};
  for (const [name, length] of Object.entries(layout)) {
    const bytes = length * Float64Array.BYTES_PER_ELEMENT;
    buffers[name] = options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  }
  return { kind: 'buffers', buffers };
}

/** Float64Array views over the fields, by name. */
export function viewFields<T>(fields: FieldBuffers): T {
  const out: Record<string, Float64Array> = {};
  if (fields.kind === 'memory') {
    for (const [name, offset] of Object.entries(fields.offsets)) out[name] = new Float64Array(fields.memory.buffer, offset, fields.lengths[name]!);
  } else {
    for (const [name, buffer] of Object.entries(fields.buffers)) out[name] = new Float64Array(buffer);
  }
  return out as T;
}

/**
 * The control block shared by the threads of one solver: an Int32 part for the
 * barrier and commands, a Float64 part for the step's parameters (written by
 * the main thread before a step) and one row of results per thread.
 */
export const CTL_BARRIER_COUNT = 0;
export const CTL_BARRIER_GENERATION = 1;
export const CTL_COMMAND = 2;
export const CTL_ERROR = 3;
export const CTL_INTS = 4;

export const CMD_STEP = 1;
export const CMD_EXIT = 2;

/** Step parameters. */
export const P_DT = 0;
export const P_TIME = 1;
/** Stage (water-surface elevation) per side, WEST..SOUTH, at the time the ghost cells stand for. */
export const P_STAGE = 2;
/** Uniform rain rate (m/s), used when P_RAIN_FIELD is 0. */
export const P_RAIN = 6;
/** 1 when the per-cell rain field holds this step's rates. */
export const P_RAIN_FIELD = 7;
export const PARAMS = 8;

/** Per-thread results, RESULTS_STRIDE numbers per thread. */
export const R_SPEED = 0; // fv: max of (|u|+c)/dx + (|v|+c)/dy; inertial: max depth
export const R_IN = 1; // volume in through boundaries this step (m^3)
export const R_OUT = 2; // volume out through boundaries this step (m^3)
export const R_CLIPPED = 3; // volume added by clipping negative depths this step (m^3)
export const R_BAD = 4; // 1 if a non-finite depth appeared
export const RESULTS_STRIDE = 8;

export const ERROR_TEXT_BYTES = 2048;

export interface ControlBuffers {
  ints: ArrayBuffer | SharedArrayBuffer;
  params: ArrayBuffer | SharedArrayBuffer;
  results: ArrayBuffer | SharedArrayBuffer;
  errorText: ArrayBuffer | SharedArrayBuffer;
}

export interface Control {
  ints: Int32Array;
  params: Float64Array;
  results: Float64Array;
  errorText: Uint8Array;
}

export function allocateControl(threads: number, shared: boolean): ControlBuffers {
  const make = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    ints: make(CTL_INTS * 4),
    params: make(PARAMS * 8),
    results: make(threads * RESULTS_STRIDE * 8),
    errorText: make(ERROR_TEXT_BYTES),
  };
}

export function viewControl(b: ControlBuffers): Control {
  return {
    ints: new Int32Array(b.ints),
    params: new Float64Array(b.params),
    results: new Float64Array(b.results),
    errorText: new Uint8Array(b.errorText),
  };
}
