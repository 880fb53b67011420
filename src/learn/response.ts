/**
 * A per-cell response surface: each cell's encoded max depth (target.ts)
 * fitted by least squares to [1, log intensity, log duration] (normalised)
 * over the training scenarios. On one DEM the fields of a rain family are
 * strongly alike cell by cell, so this linear surface alone scores well; the
 * networks learn what it misses (curvature in the forcing, and the spatial
 * structure around channels and ponds) as a residual on top of it. Its
 * coefficients are static channels of the dataset, fitted on the training
 * split only.
 */
import { TerraError } from '../api/errors';

/** Basis functions by name: '1', or a forcing channel (normalised). */
export const RESPONSE_BASIS = ['1', 'log_intensity', 'log_duration'] as const;
export const RESPONSE_CHANNELS = RESPONSE_BASIS.map((b) => `response_${b}`);

/** Basis values of a scenario from its normalised forcing. */
export function responseBasis(forcing: ArrayLike<number>, forcingNames: string[]): number[] {
  return RESPONSE_BASIS.map((b) => {
    if (b === '1') return 1;
    const i = forcingNames.indexOf(b);
    if (i < 0) throw new TerraError('INVALID_DATA', `response surface: no forcing channel ${b} (have ${forcingNames.join(', ')})`, { field: 'channels.forcing' });
    return forcing[i]!;
  });
}

/** Coefficients, channel-major [basis, cell], from encoded training targets and their basis rows. */
export function fitResponse(targets: ArrayLike<number>[], basis: number[][]): Float32Array {
  const k = RESPONSE_BASIS.length;
  const cells = targets[0]?.length ?? 0;
  // The normal matrix is the same for every cell: invert it once (a whisker of ridge keeps a
  // degenerate design, such as fewer scenarios than basis functions, solvable).
  const normal = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => basis.reduce((s, row) => s + row[a]! * row[b]!, 0)));
  const trace = normal.reduce((s, row, i) => s + row[i]!, 0);
  normal.forEach((row, i) => (row[i]! += 1e-9 * trace));
  const inverse = invert(normal);
  const weights = basis.map((row) => inverse.map((inv) => inv.reduce((s, v, j) => s + v * row[j]!, 0)));
  const out = new Float32Array(k * cells);
  const acc = new Float64Array(cells);
  for (let a = 0; a < k; a++) {
    acc.fill(0);
    targets.forEach((y, t) => {
      const w = weights[t]![a]!;
      for (let i = 0; i < cells; i++) acc[i]! += w * y[i]!;
    });
    out.set(acc, a * cells);
  }
  return out;
}

/** The surface at one scenario: sum over the basis of coefficient x basis value, per cell. */
export function evaluateResponse(coefficients: ArrayLike<number>[], basis: number[], cells: number): Float32Array {
  const out = new Float32Array(cells);
  coefficients.forEach((c, a) => {
    const b = basis[a]!;
    for (let i = 0; i < cells; i++) out[i]! += c[i]! * b;
  });
  return out;
}

/** Gauss-Jordan with partial pivoting (small symmetric positive definite matrices). */
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(a[r]![i]!) > Math.abs(a[p]![i]!)) p = r;
    [a[i], a[p]] = [a[p]!, a[i]!];
    const d = a[i]![i]!;
    a[i] = a[i]!.map((v) => v / d);
    for (let r = 0; r < n; r++) {
      if (r === i) continue;
      const f = a[r]![i]!;
      a[r] = a[r]!.map((v, c) => v - f * a[i]![c]!);
    }
  }
  return a.map((row) => row.slice(n));
}
