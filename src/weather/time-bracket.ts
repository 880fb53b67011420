/** Linear interpolation in time between the frames (or rows) around an instant. */
import { formatIsoUtc } from '../core/time';

export interface Bracket {
  i0: number;
  i1: number;
  /** Weight of i1; 0 when the instant is a frame's own time (i1 = i0). */
  w: number;
}

/** The frames around `t` (epoch ms) in increasing `times`, or a problem text when t lies outside them. */
export function bracket(times: Float64Array, t: number): Bracket | string {
  const n = times.length;
  if (n === 0) return 'no times';
  if (t < times[0]! || t > times[n - 1]!) return `${formatIsoUtc(t)} is outside ${formatIsoUtc(times[0]!)} to ${formatIsoUtc(times[n - 1]!)}`;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid;
  }
  if (times[lo] === t) return { i0: lo, i1: lo, w: 0 };
  if (times[hi] === t) return { i0: hi, i1: hi, w: 0 };
  return { i0: lo, i1: hi, w: (t - times[lo]!) / (times[hi]! - times[lo]!) };
}
