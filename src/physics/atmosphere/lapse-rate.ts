/**
 * Temperature over terrain by a constant lapse rate: T(z) = T(zRef) - gamma (z - zRef).
 * The standard 6.5 K/km is the mean tropospheric profile; a valley under an
 * inversion has a negative gamma, which is allowed.
 */
import { STANDARD_LAPSE_RATE } from './constants';

/** A value per cell, or one value for every cell. */
export type CellValues = number | Float32Array | Float64Array;

export function valueAt(values: CellValues, k: number): number {
  return typeof values === 'number' ? values : values[k]!;
}

/** Temperature (K or degC, as given) at elevation z from temperature tRef at elevation zRef; gamma in K per m. */
export function temperatureAt(tRef: number, zRef: number, z: number, gamma = STANDARD_LAPSE_RATE): number {
  return tRef - gamma * (z - zRef);
}

/** {@link temperatureAt} for every cell of a grid: reference temperature and elevation per cell or uniform. */
export function lapseRateTemperature(tRef: CellValues, zRef: CellValues, z: Float32Array | Float64Array, gamma = STANDARD_LAPSE_RATE, out = new Float32Array(z.length)): Float32Array {
  for (let k = 0; k < z.length; k++) out[k] = temperatureAt(valueAt(tRef, k), valueAt(zRef, k), z[k]!, gamma);
  return out;
}
