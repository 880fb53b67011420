/**
 * Moisture: saturation vapour pressure (Bolton 1980), mixing ratio, virtual
 * temperature, and how relative humidity changes when air is carried to
 * another height. A parcel keeps its mixing ratio (mass of vapour per mass of
 * dry air) when it moves without condensing, so the vapour pressure scales
 * with the pressure while the saturation pressure follows the temperature.
 */
import { EPSILON, KELVIN } from './constants';

/** Saturation vapour pressure over water (Pa) at temperature tK (K); Bolton (1980), within 0.1 % for -35..35 degC. */
export function saturationVapourPressure(tK: number): number {
  const c = tK - KELVIN;
  return 611.2 * Math.exp((17.67 * c) / (c + 243.5));
}

/** Mixing ratio (kg/kg) of air with vapour pressure e at pressure p (both Pa). */
export function mixingRatio(e: number, p: number): number {
  return (EPSILON * e) / (p - e);
}

/** Vapour pressure (Pa) of air with mixing ratio w at pressure p. */
export function vapourPressure(w: number, p: number): number {
  return (w * p) / (EPSILON + w);
}

/** Virtual temperature (K): the temperature dry air would need to have the moist air's density at the same pressure. */
export function virtualTemperature(tK: number, w: number): number {
  return (tK * (1 + w / EPSILON)) / (1 + w);
}

/**
 * Saturation ratio e/es at (tK, p) of air whose mixing ratio is w: relative
 * humidity, except that it exceeds 1 where the air would be supersaturated
 * (it would condense: cloud or fog).
 */
export function saturationRatio(w: number, tK: number, p: number): number {
  return vapourPressure(w, p) / saturationVapourPressure(tK);
}

/**
 * Cloud (or fog, at the ground) fraction in [0, 1] from the saturation ratio s:
 * Sundqvist et al. (1989), 1 - sqrt((1 - s) / (1 - sCrit)) above the critical
 * ratio sCrit (sub-grid humidity variations start to saturate part of a cell
 * before its mean does), 0 below, 1 at saturation.
 */
export function cloudFraction(s: number, sCrit = 0.8): number {
  if (s <= sCrit) return 0;
  if (s >= 1) return 1;
  return 1 - Math.sqrt((1 - s) / (1 - sCrit));
}
