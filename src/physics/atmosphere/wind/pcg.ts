/**
 * Preconditioned conjugate gradients for A x = b (A symmetric positive
 * definite), from x = 0, until ||b - A x|| <= tolerance ||b||. The loop is
 * synchronous arithmetic; it yields to the event loop every few tens of
 * milliseconds so that an AbortSignal (Ctrl-C, a cancelled job) and
 * progress reports get through.
 */
import { TerraError } from '../../../api/errors';

export interface SpdOperator {
  apply(x: Float64Array, out: Float64Array): void;
  precondition(r: Float64Array, out: Float64Array): void;
}

export interface PcgProgress {
  iteration: number;
  /** ||r|| / ||b|| of the recurrence. */
  relativeResidual: number;
}

export interface PcgOptions {
  tolerance: number;
  maxIterations: number;
  signal?: AbortSignal;
  onProgress?: (p: PcgProgress) => void;
  /** Least wall time between yields (and progress reports), ms; default 50. */
  yieldMs?: number;
}

export interface PcgResult {
  x: Float64Array;
  iterations: number;
  /** ||b - A x|| / ||b|| recomputed from x at the end (0 when b = 0). */
  relativeResidual: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export async function pcg(op: SpdOperator, b: Float64Array, options: PcgOptions): Promise<PcgResult> {
  if (options.signal?.aborted) throw new TerraError('CANCELLED', 'cancelled before the first iteration');
  const n = b.length;
  const x = new Float64Array(n);
  const bNorm = Math.sqrt(dot(b, b));
  if (bNorm === 0) return { x, iterations: 0, relativeResidual: 0, converged: true };
  const r = Float64Array.from(b);
  const z = new Float64Array(n);
  const q = new Float64Array(n);
  op.precondition(r, z);
  const p = Float64Array.from(z);
  let rz = dot(r, z);
  let iterations = 0;
  let relative = 1;
  let lastYield = performance.now();
  const yieldMs = options.yieldMs ?? 50;
  while (iterations < options.maxIterations) {
    op.apply(p, q);
    const alpha = rz / dot(p, q);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * p[i]!;
      const ri = r[i]! - alpha * q[i]!;
      r[i] = ri;
      rr += ri * ri;
    }
    iterations++;
    relative = Math.sqrt(rr) / bNorm;
    if (relative <= options.tolerance) break;
    op.precondition(r, z);
    const rzNext = dot(r, z);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
    const now = performance.now();
    if (now - lastYield > yieldMs) {
      lastYield = now;
      options.onProgress?.({ iteration: iterations, relativeResidual: relative });
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw new TerraError('CANCELLED', `cancelled after ${iterations} iterations`);
    }
  }
  // The recurrence drifts from the true residual in floating point: report the true one.
  op.apply(x, q);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += (b[i]! - q[i]!) ** 2;
  const trueRelative = Math.sqrt(rr) / bNorm;
  return { x, iterations, relativeResidual: trueRelative, converged: relative <= options.tolerance };
}
