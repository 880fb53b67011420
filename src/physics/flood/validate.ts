/**
 * Checks a FloodSetup at the boundary and says how to fix it: every problem is
 * a TerraError('INVALID_PARAMS') whose message and details name the field.
 */
import { TerraError } from '../../api/errors';
import { BOUNDARY_OPEN, BOUNDARY_STAGE, BOUNDARY_WALL, DEFAULT_DRY_TOLERANCE, MAX_THREADS, MIN_BAND_ROWS, SIDES, type BoundaryKind } from './constants';
import type { Boundary, FloodSetup } from './types';

function fail(field: string, message: string): never {
  throw new TerraError('INVALID_PARAMS', `flood setup: ${field} ${message}`, { field });
}

function isArrayOfNumbers(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && typeof (x as { length?: unknown }).length === 'number';
}

function checkField(
  field: string,
  x: unknown,
  n: number,
  what: string,
  ok: (v: number) => boolean,
  rule: string,
): ArrayLike<number> {
  if (!isArrayOfNumbers(x)) fail(field, `must be a Float64Array of ${what} values`);
  if (x.length !== n) fail(field, `must hold nx*ny = ${n} values, got ${x.length}`);
  for (let k = 0; k < n; k++) {
    const v = x[k]!;
    if (!ok(v)) fail(`${field}[${k}]`, `is ${v}; ${rule}`);
  }
  return x;
}

function positiveInteger(field: string, x: unknown, min = 1): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) fail(field, `must be an integer >= ${min}, got ${String(x)}`);
  return x;
}

function positiveFinite(field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) fail(field, `must be a finite number > 0, got ${String(x)}`);
  return x;
}

function boundaryKind(side: string, b: unknown): BoundaryKind {
  const field = `boundaries.${side}`;
  if (typeof b !== 'object' || b === null) fail(field, `must be {type: 'wall' | 'open' | 'stage'}, got ${String(b)}`);
  const type = (b as { type?: unknown }).type;
  if (type === 'wall') return BOUNDARY_WALL;
  if (type === 'open') return BOUNDARY_OPEN;
  if (type === 'stage') {
    if (typeof (b as { stage?: unknown }).stage !== 'function') fail(`${field}.stage`, 'must be a function (t: number) => stage in m');
    return BOUNDARY_STAGE;
  }
  return fail(`${field}.type`, `must be 'wall', 'open' or 'stage', got ${JSON.stringify(type)}`);
}

export interface ValidSetup {
  setup: FloodSetup;
  n: number;
  tol: number;
  threads: number;
  kinds: [BoundaryKind, BoundaryKind, BoundaryKind, BoundaryKind];
  /** Stage functions per side (undefined where the side is not a stage). */
  stages: (((t: number) => number) | undefined)[];
}

export function validateSetup(setup: FloodSetup): ValidSetup {
  if (typeof setup !== 'object' || setup === null) fail('setup', 'must be an object');
  const nx = positiveInteger('nx', setup.nx);
  const ny = positiveInteger('ny', setup.ny);
  positiveFinite('dx', setup.dx);
  positiveFinite('dy', setup.dy);
  const n = nx * ny;
  checkField('bed', setup.bed, n, 'bed elevation (m)', Number.isFinite, 'bed elevations must be finite (fill nodata first)');
  if (typeof setup.manning === 'number') {
    if (!Number.isFinite(setup.manning) || setup.manning < 0) fail('manning', `must be a finite number >= 0, got ${setup.manning}`);
  } else {
    checkField('manning', setup.manning, n, "Manning's n", (v) => Number.isFinite(v) && v >= 0, "Manning's n must be finite and >= 0");
  }
  checkField('h0', setup.h0, n, 'depth (m)', (v) => Number.isFinite(v) && v >= 0, 'initial depths must be finite and >= 0');
  if (setup.u0 !== undefined) checkField('u0', setup.u0, n, 'velocity (m/s)', Number.isFinite, 'velocities must be finite');
  if (setup.v0 !== undefined) checkField('v0', setup.v0, n, 'velocity (m/s)', Number.isFinite, 'velocities must be finite');

  if (typeof setup.boundaries !== 'object' || setup.boundaries === null) fail('boundaries', 'must be {west, east, north, south}');
  const kinds = SIDES.map((s) => boundaryKind(s, (setup.boundaries as Record<string, unknown>)[s])) as ValidSetup['kinds'];
  const stages = SIDES.map((s) => {
    const b = setup.boundaries[s] as Boundary;
    return b.type === 'stage' ? b.stage : undefined;
  });

  if (setup.rain !== undefined && typeof setup.rain !== 'function') fail('rain', 'must be a function (t, out) => rate in m/s');
  if (setup.inflows !== undefined) {
    if (!Array.isArray(setup.inflows)) fail('inflows', 'must be an array of {cell, discharge}');
    setup.inflows.forEach((f, i) => {
      if (typeof f !== 'object' || f === null) fail(`inflows[${i}]`, 'must be {cell, discharge}');
      if (typeof f.cell !== 'number' || !Number.isInteger(f.cell) || f.cell < 0 || f.cell >= n) {
        fail(`inflows[${i}].cell`, `must be a cell index in [0, ${n - 1}] (row * nx + column), got ${String(f.cell)}`);
      }
      if (typeof f.discharge !== 'function') fail(`inflows[${i}].discharge`, 'must be a function (t) => m^3/s');
    });
  }
  if (setup.scheme !== 'fv' && setup.scheme !== 'inertial') {
    fail('scheme', `must be 'fv' or 'inertial', got ${JSON.stringify(setup.scheme)}`);
  }
  if (typeof setup.cfl !== 'number' || !(setup.cfl > 0 && setup.cfl <= 1)) fail('cfl', `must be in (0, 1], got ${String(setup.cfl)}`);
  const tol = setup.dryTolerance ?? DEFAULT_DRY_TOLERANCE;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol <= 0 || tol > 1) {
    fail('dryTolerance', `must be a depth in (0, 1] m, got ${String(tol)}`);
  }
  const threads = setup.threads ?? 1;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    fail('threads', `must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`);
  }
  if (threads > 1 && ny < MIN_BAND_ROWS * threads) {
    fail('threads', `${threads} threads need at least ${MIN_BAND_ROWS * threads} rows (${MIN_BAND_ROWS} per band), ny is ${ny}`);
  }
  return { setup, n, tol, threads, kinds, stages };
}

/** A boundary stage value, checked. */
export function stageAt(side: string, fn: (t: number) => number, t: number): number {
  const s = fn(t);
  if (typeof s !== 'number' || !Number.isFinite(s)) {
    throw new TerraError('INVALID_PARAMS', `flood boundaries.${side}.stage(${t}) returned ${String(s)}; stages must be finite (m)`, {
      field: `boundaries.${side}.stage`,
    });
  }
  return s;
}
