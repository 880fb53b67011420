/**
 * Skill against a reference forecast: 1 - score / reference score for an
 * error measure like MSE (1 perfect, 0 no better than the reference, < 0
 * worse). References: climatology (the mean of past fields, cell by cell)
 * and persistence (the last observed value carried forward).
 */
export function skillScore(score: number, reference: number): number {
  return reference > 0 ? 1 - score / reference : NaN;
}

/** Cell-by-cell mean of fields of equal length. */
export function climatology(fields: ArrayLike<number>[]): Float64Array {
  if (fields.length === 0) throw new Error('climatology: no fields');
  const out = new Float64Array(fields[0]!.length);
  for (const f of fields) {
    if (f.length !== out.length) throw new Error(`climatology: fields of ${f.length} and ${out.length} values`);
    for (let i = 0; i < out.length; i++) out[i]! += f[i]!;
  }
  return out.map((v) => v / fields.length);
}

/** Persistence forecast of a series at `lead` steps: value i is series[i - lead] (the first `lead` are NaN). */
export function persistence(series: ArrayLike<number>, lead = 1): Float64Array {
  return Float64Array.from({ length: series.length }, (_, i) => (i >= lead ? series[i - lead]! : NaN));
}
