/**
 * Rain rate to what the rain layer draws: the share of the layer's drops
 * shown over a place is proportional to the rain rate there, up to
 * {@link RAIN_FULL_MM_H} (every drop), and exactly none where it is dry.
 * Pure; shared by the layer and its tests.
 */

/** Rain rate (mm/h) at which every drop shows: a cloudburst. Rates above it look the same. */
export const RAIN_FULL_MM_H = 60;

/** Share of the drops shown (0..1) under a rain rate in mm/h; 0 for no rain, negative or missing values. */
export function rainDensity(mmPerH: number): number {
  return mmPerH > 0 ? Math.min(mmPerH / RAIN_FULL_MM_H, 1) : 0;
}

/** {@link rainDensity} of every cell of a field, into `out` (the same length). */
export function rainDensities(field: Float32Array, out: Float32Array): Float32Array {
  if (field.length !== out.length) throw new RangeError(`a rain field of ${field.length} cells for a ${out.length}-cell terrain`);
  for (let k = 0; k < field.length; k++) out[k] = rainDensity(field[k]!);
  return out;
}

/** A flood run's rain: a constant intensity from t = 0 for a while (as the engine's flood.run). */
export interface RunRain {
  intensityMmPerH: number;
  durationS: number;
}

/** The rain rate (mm/h) of a flood run `time` seconds in: its intensity while it rains, then 0. */
export function floodRainRate(rain: RunRain | null, time: number): number {
  return rain && time >= 0 && time < rain.durationS ? rain.intensityMmPerH : 0;
}
