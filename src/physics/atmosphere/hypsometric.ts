/**
 * Pressure over terrain by the hypsometric equation: between two heights,
 * ln(p1 / p2) = g (z2 - z1) / (R_d Tv), with Tv the mean virtual temperature
 * of the layer. Tv is taken as the mean of its values at the two ends, exact
 * for an isothermal layer and within 0.5 Pa of the standard atmosphere's
 * closed form over 1 km (the test says how close).
 */
import { GRAVITY, R_DRY } from './constants';

/** Pressure (Pa) at z from pRef at zRef; tvRef and tvZ are the virtual temperatures (K) at the two heights. */
export function pressureAt(pRef: number, zRef: number, z: number, tvRef: number, tvZ: number): number {
  return pRef * Math.exp((-GRAVITY * (z - zRef)) / (R_DRY * 0.5 * (tvRef + tvZ)));
}
