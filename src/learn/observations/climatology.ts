/**
 * Seasonal climatology of a station column, the reference a forecast must
 * beat beside persistence: a mean plus the first `harmonics` annual
 * harmonics, fitted by least squares to the training years only.
 *
 *   c(t) = a0 + sum_k (a_k cos(k phase(t)) + b_k sin(k phase(t)))
 */
import type { StationTable } from './station-table';
import { rowsIn, yearPhase, type YearRange } from './windows';

export interface Climatology {
  harmonics: number;
  /** Per column: a0, then a_k, b_k for k = 1..harmonics. */
  coefficients: Record<string, number[]>;
}

function basis(t: number, harmonics: number): number[] {
  const p = yearPhase(t);
  const out = [1];
  for (let k = 1; k <= harmonics; k++) out.push(Math.cos(k * p), Math.sin(k * p));
  return out;
}

export function fitClimatology(table: StationTable, columns: string[], train: YearRange, harmonics = 2): Climatology {
  const [start, end] = rowsIn(table.times, train);
  const m = 1 + 2 * harmonics;
  const rows = Array.from({ length: end - start }, (_, i) => basis(table.times[start + i]!, harmonics));
  const ata = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => rows.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const coefficients: Record<string, number[]> = {};
  for (const name of columns) {
    const values = table.values[table.columns.indexOf(name)]!;
    const atb = Array.from({ length: m }, (_, a) => rows.reduce((s, r, i) => s + r[a]! * values[start + i]!, 0));
    coefficients[name] = solve(ata, atb);
  }
  return { harmonics, coefficients };
}

export function climatologyAt(c: Climatology, column: string, t: number): number {
  const coef = c.coefficients[column]!;
  return basis(t, c.harmonics).reduce((s, v, i) => s + v * coef[i]!, 0);
}

/** [n, targets] climatology at the target times. */
export function climatologyForecast(c: Climatology, targets: string[], times: Float64Array): Float64Array {
  const out = new Float64Array(times.length * targets.length);
  times.forEach((t, i) => targets.forEach((name, j) => (out[i * targets.length + j] = climatologyAt(c, name, t))));
  return out;
}

/** Gaussian elimination with partial pivoting (small, well-posed systems). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) throw new Error('climatology: too few training rows for the harmonics');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
