/**
 * Rolling statistics and the small detectors the monitor builds on: means
 * over a trailing window, threshold episodes, a CUSUM estimate of when a
 * shift began, and runs of repeated values (a stuck sensor). Pure functions
 * over typed arrays; NaN marks "not enough data yet".
 */

/** Mean of the last `window` values at each index (NaN until the window is full). */
export function rollingMean(values: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    if (i >= window - 1) out[i] = sum / window;
  }
  return out;
}

export interface Episode {
  /** First index above the threshold. */
  start: number;
  /** First index back at or below it; -1 while still above at the end. */
  end: number;
  /** Index of the largest value in the episode. */
  peak: number;
}

/** Spans where `values` exceed `threshold` (NaN never does). */
export function episodesAbove(values: ArrayLike<number>, threshold: number): Episode[] {
  const out: Episode[] = [];
  let current: Episode | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > threshold) {
      if (!current) current = { start: i, end: -1, peak: i };
      else if (v > values[current.peak]!) current.peak = i;
    } else if (current) {
      current.end = i;
      out.push(current);
      current = null;
    }
  }
  if (current) out.push(current);
  return out;
}

/**
 * Where a rise in the mean of `excess` (about zero before it) most likely
 * began, searching [from, to]: the index after the minimum of the
 * cumulative sum (Page's CUSUM).
 */
export function cusumOnset(excess: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let min = 0;
  let at = from;
  for (let i = from; i <= to; i++) {
    sum += excess[i]!;
    if (sum < min) {
      min = sum;
      at = i + 1;
    }
  }
  return Math.min(at, to);
}

export interface Run {
  start: number;
  /** Rows in the run. */
  length: number;
  value: number;
}

/** Runs of at least `minLength` identical consecutive values. */
export function repeatedRuns(values: ArrayLike<number>, minLength: number): Run[] {
  const out: Run[] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i < values.length && values[i] === values[start]) continue;
    if (i - start >= minLength) out.push({ start, length: i - start, value: values[start]! });
    start = i;
  }
  return out;
}
