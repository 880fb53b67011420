/**
 * Z-score normalisation: z = (x - mean) / std, and back. The statistics are
 * stored in every derived data set's sidecar so models can de-normalise.
 */
import type { SummaryStats } from './stats';

export interface ZScore {
  method: 'z-score';
  mean: number;
  /** Population standard deviation; 1 when the data are constant (so z = x - mean). */
  std: number;
}

export function zScoreFrom(stats: Pick<SummaryStats, 'mean' | 'std'>): ZScore {
  return { method: 'z-score', mean: stats.mean, std: stats.std > 0 ? stats.std : 1 };
}

export function normalise(values: Float32Array, z: ZScore): Float32Array {
  return values.map((v) => (v - z.mean) / z.std);
}

export function denormalise(values: Float32Array, z: ZScore): Float32Array {
  return values.map((v) => v * z.std + z.mean);
}
