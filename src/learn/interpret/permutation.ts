/**
 * Permutation importance (Breiman 2001; Fisher, Rudin and Dominici 2019):
 * how much a model's held-out error grows when one input column is shuffled
 * across samples, which keeps the column's distribution and breaks its link
 * to the target. A group of positions (a station at every lag, or the sine
 * and cosine of the day of year together) is shuffled with one permutation,
 * so values that belong together stay together. Shuffles come from a seed
 * and are averaged over repeats; the spread over repeats is reported so a
 * near-zero importance can be told from noise.
 */
import { TerraError } from '../../api/errors';
import { Rng } from '../rng';

export interface FeatureGroup {
  name: string;
  /** Offsets within one sample's inputs, shuffled together. */
  offsets: number[];
}

export interface GroupImportance {
  name: string;
  /** Mean over repeats of (error with the group shuffled - error as is). */
  increase: number;
  /** Standard deviation of the increase over repeats. */
  std: number;
  /** Increase over the unshuffled error. */
  relative: number;
}

export interface ImportanceOptions {
  repeats: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; group: string }) => void;
}

/**
 * `score(x)` is the error of the model on inputs `x` (samples one after
 * another, `perSample` values each). Groups come back in the order given;
 * null when cancelled.
 */
export async function permutationImportance(
  score: (x: Float32Array) => Promise<number>,
  x: Float32Array,
  perSample: number,
  groups: FeatureGroup[],
  options: ImportanceOptions,
): Promise<{ baseline: number; groups: GroupImportance[] } | null> {
  const n = x.length / perSample;
  if (!Number.isInteger(n) || n < 2) throw new TerraError('INVALID_DATA', `permutation importance needs at least 2 samples (got ${n})`, { field: 'samples' });
  if (!Number.isInteger(options.repeats) || options.repeats < 1) throw new TerraError('INVALID_PARAMS', `repeats: ${options.repeats}: a whole number >= 1`, { field: 'repeats' });
  for (const g of groups) {
    const bad = g.offsets.find((o) => !Number.isInteger(o) || o < 0 || o >= perSample);
    if (bad !== undefined) throw new TerraError('INVALID_PARAMS', `group "${g.name}": offset ${bad} outside a sample of ${perSample} values`, { field: g.name });
  }
  const baseline = await score(x);
  const rng = new Rng(options.seed);
  const shuffled = new Float32Array(x.length);
  const order = Array.from({ length: n }, (_, i) => i);
  const out: GroupImportance[] = [];
  const total = groups.length * options.repeats;
  let done = 0;
  for (const g of groups) {
    const increases: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      if (options.signal?.aborted) return null;
      rng.shuffle(order);
      shuffled.set(x);
      for (let i = 0; i < n; i++) {
        const from = order[i]! * perSample;
        const to = i * perSample;
        for (const o of g.offsets) shuffled[to + o] = x[from + o]!;
      }
      increases.push((await score(shuffled)) - baseline);
      options.onProgress?.({ done: ++done, total, group: g.name });
    }
    const mean = increases.reduce((a, b) => a + b, 0) / increases.length;
    const std = Math.sqrt(increases.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, increases.length - 1));
    out.push({ name: g.name, increase: mean, std, relative: mean / baseline });
  }
  return { baseline, groups: out };
}
