/**
 * The networks learn max depth as (sqrt(depth) - mean) / std: the square
 * root spreads the shallow cells that decide a 5 cm flood map and tames the
 * few deep pools that would dominate a plain squared error.
 */
import type { MeanStd } from './dataset/stats';

export function encodeTarget(depth: ArrayLike<number>, stats: MeanStd, out = new Float32Array(depth.length)): Float32Array {
  for (let i = 0; i < depth.length; i++) out[i] = (Math.sqrt(depth[i]!) - stats.mean) / stats.std;
  return out;
}

/** Back to metres; a negative square root (below dry) is no water. */
export function decodeTarget(y: ArrayLike<number>, stats: MeanStd, out = new Float32Array(y.length)): Float32Array {
  for (let i = 0; i < y.length; i++) {
    const s = y[i]! * stats.std + stats.mean;
    out[i] = s > 0 ? s * s : 0;
  }
  return out;
}
