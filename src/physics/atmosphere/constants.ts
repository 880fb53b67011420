/** Physical constants of the atmosphere code, in one place (SI units). */

/** Standard gravity (m s^-2). */
export const GRAVITY = 9.80665;

/** Gas constant of dry air (J kg^-1 K^-1). */
export const R_DRY = 287.04;

/** Gas constant of water vapour (J kg^-1 K^-1). */
export const R_VAPOUR = 461.5;

/** R_DRY / R_VAPOUR: mass of a water molecule over that of "an air molecule" (~0.622). */
export const EPSILON = R_DRY / R_VAPOUR;

/** 0 degC in kelvin. */
export const KELVIN = 273.15;

/** Standard-atmosphere temperature lapse rate (K per m): 6.5 K/km. */
export const STANDARD_LAPSE_RATE = 0.0065;
