/**
 * Downscaling of coarse near-surface fields to the terrain of a site: the
 * reference fields hold at a reference elevation (a coarse model's smooth
 * orography, or sea level); each cell's air is carried from there to the
 * DEM's elevation. Temperature follows the lapse rate, pressure the
 * hypsometric equation over the layer between, humidity keeps its mixing
 * ratio (no condensation on the way), so relative humidity rises where the
 * air cools and a saturation-based cloud/fog fraction appears on the heights.
 */
import { TerraError } from '../../api/errors';
import { STANDARD_LAPSE_RATE } from './constants';
import { cloudFraction, mixingRatio, saturationRatio, saturationVapourPressure, virtualTemperature } from './humidity';
import { pressureAt } from './hypsometric';
import { lapseRateTemperature, valueAt, type CellValues } from './lapse-rate';

export interface ReferenceAtmosphere {
  /** Elevation (m) the reference values hold at. */
  elevation: CellValues;
  /** Temperature (K). */
  temperature: CellValues;
  /** Pressure (Pa); needed for relative humidity. */
  pressure?: CellValues;
  /** Relative humidity (fraction, 0-1) at the reference elevation. */
  relativeHumidity?: CellValues;
}

export interface DownscaleOptions {
  /** K per m; default 6.5 K/km. */
  lapseRate?: number;
  /** Saturation ratio where cloud starts (see cloudFraction); default 0.8. */
  cloudCriticalRatio?: number;
}

export interface TerrainAtmosphere {
  /** Temperature (K). */
  temperature: Float32Array;
  /** Pressure (Pa), when the reference has it. */
  pressure?: Float32Array;
  /** Relative humidity (fraction, at most 1) and cloud/fog fraction in [0, 1], when the reference has humidity. */
  relativeHumidity?: Float32Array;
  cloud?: Float32Array;
}

/** Fields at the DEM's elevations `z` (m, one per cell) from the reference atmosphere. */
export function downscaleToTerrain(ref: ReferenceAtmosphere, z: Float32Array | Float64Array, options: DownscaleOptions = {}): TerrainAtmosphere {
  const gamma = options.lapseRate ?? STANDARD_LAPSE_RATE;
  const sCrit = options.cloudCriticalRatio ?? 0.8;
  if (ref.relativeHumidity !== undefined && ref.pressure === undefined) {
    throw new TerraError('INVALID_PARAMS', 'relative humidity needs pressure: a mixing ratio depends on both', { field: 'pressure' });
  }
  const n = z.length;
  const temperature = lapseRateTemperature(ref.temperature, ref.elevation, z, gamma);
  const pRefs = ref.pressure;
  if (pRefs === undefined) return { temperature };
  const rhRefs = ref.relativeHumidity;
  const pressure = new Float32Array(n);
  const relativeHumidity = rhRefs === undefined ? undefined : new Float32Array(n);
  const cloud = rhRefs === undefined ? undefined : new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const zRef = valueAt(ref.elevation, k);
    const tRef = valueAt(ref.temperature, k);
    const pRef = valueAt(pRefs, k);
    const t = temperature[k]!;
    // Mixing ratio of the reference air (0: dry), kept on the way to z.
    const w = rhRefs === undefined ? 0 : mixingRatio(valueAt(rhRefs, k) * saturationVapourPressure(tRef), pRef);
    const p = pressureAt(pRef, zRef, z[k]!, virtualTemperature(tRef, w), virtualTemperature(t, w));
    pressure[k] = p;
    if (!relativeHumidity || !cloud) continue;
    const s = saturationRatio(w, t, p);
    relativeHumidity[k] = Math.min(1, s);
    cloud[k] = cloudFraction(s, sCrit);
  }
  return { temperature, pressure, relativeHumidity, cloud };
}
