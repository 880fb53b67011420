/**
 * Loads the flood solver's WebAssembly kernels (assembly/flood, built by
 * scripts/build-wasm.js) onto the solver's memory: one instance per thread,
 * all on the same shared memory. The cube-root tables of ../cbrt.ts are
 * copied below FIELDS_BASE so the kernels use the very same numbers.
 */
import { C0, C1, C2, R_OFFSET, SCALE, UNSCALE } from '../cbrt';
import { FIELDS_BASE } from '../state';
import { FLOOD_WASM } from './binary.generated';

/** Addresses are byte offsets into the memory (a typed array's byteOffset). */
export interface FloodWasm {
  xInteriorFaces(h: number, z: number, gn2: number, q: number, out: number, nx: number, gx: number, hdt: number, theta: number, tol: number): void;
  yInteriorFaces(h: number, z: number, gn2: number, q: number, out: number, nx: number, stride: number, gy: number, hdt: number, theta: number, tol: number): void;
  limiterRow(h: number, nx: number, xf: number, yN: number, yS: number, out: number, area: number, ax: number, ay: number): void;
  updateRow(
    h: number, hu: number, hv: number, qx: number, qy: number, rain: number,
    xf: number, yN: number, yS: number, lP: number, lC: number, lS: number,
    nx: number, hasNorth: number, hasSouth: number, fw0: number,
    dt: number, invDx: number, invDy: number, rainU: number, acc: number,
  ): void;
  fvReconstructLine(r: number, length: number, count: number, eta: number, h: number, n: number, t: number, stride: number, tol: number): void;
  /** x reconstruction of a row fused with its x-face fluxes (writes x.src and fx only). */
  fvXPass(x: number, fx: number, nx: number, eta: number, h: number, u: number, v: number, tol: number): void;
  /** y reconstruction of the next row fused with the fluxes between it and the current row (its plus values are not stored). */
  fvYPass(yNext: number, yCur: number, g: number, nx: number, eta: number, h: number, n: number, t: number, stride: number, tol: number): void;
  fvFluxLine(F: number, lengthF: number, count: number, L: number, lengthL: number, oL: number, R: number, lengthR: number, oR: number): void;
  fvUpdateRow(
    hP: number, huIn: number, hvIn: number, hB: number, huB: number, hvB: number,
    hOut: number, huOut: number, hvOut: number, oEta: number, oH: number, oU: number, oV: number,
    z: number, gn2: number, rain: number,
    nx: number, fx: number, gN: number, gS: number, x: number, y: number,
    dx: number, dy: number, dt: number, a: number, b: number, rainU: number, tol: number, eps4: number, speedWanted: number, acc: number,
  ): void;
}

interface Exports extends FloodWasm {
  setCbrtTables(scale: number, unscale: number, rOffset: number, c0: number, c1: number, c2: number): void;
}

/** Where the tables go: above the kernels' (empty) static data, below the fields. */
const TABLES_BASE = 65536;

let module: WebAssembly.Module | null = null;

export function instantiateFloodWasm(memory: WebAssembly.Memory): FloodWasm {
  module ??= new WebAssembly.Module(Buffer.from(FLOOD_WASM, 'base64'));
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('flood kernel aborted');
      },
    },
  });
  const exports = instance.exports as unknown as Exports;
  let at = TABLES_BASE;
  const place = (table: Float64Array | Int32Array): number => {
    const address = at;
    const view = table instanceof Float64Array ? new Float64Array(memory.buffer, address, table.length) : new Int32Array(memory.buffer, address, table.length);
    view.set(table); // every thread writes the same values: harmless
    at += table.byteLength;
    return address;
  };
  exports.setCbrtTables(place(SCALE), place(UNSCALE), place(R_OFFSET), place(C0), place(C1), place(C2));
  if (at > FIELDS_BASE) throw new Error('flood kernel tables overlap the fields');
  return exports;
}
