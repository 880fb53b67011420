/**
 * Where the sun is in the sky: NOAA's solar calculator (the spreadsheet
 * version of Meeus, "Astronomical Algorithms"), good to about 0.01 degrees
 * between 1901 and 2099, with NOAA's approximate atmospheric refraction
 * (so the elevation is the apparent one, as an almanac gives it).
 * Pure: angles in degrees, time as epoch milliseconds (UTC).
 */

export interface SunPosition {
  /** Apparent elevation above the horizon (refraction included); negative below it. */
  elevation: number;
  /** Clockwise from true north: 90 east, 180 south, 270 west. */
  azimuth: number;
  /** Solar declination, for checks. */
  declination: number;
}

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;
const mod = (a: number, n: number) => ((a % n) + n) % n;

export function sunPosition(epochMs: number, latitude: number, longitude: number): SunPosition {
  const jd = epochMs / 86_400_000 + 2_440_587.5;
  const t = (jd - 2_451_545) / 36_525; // Julian centuries since J2000.0

  const l0 = mod(280.46646 + t * (36_000.76983 + t * 0.0003032), 360); // geometric mean longitude
  const m = 357.52911 + t * (35_999.05029 - 0.0001537 * t); // mean anomaly
  const e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t); // orbit eccentricity
  const centre =
    Math.sin(m * RAD) * (1.914602 - t * (0.004817 + 0.000014 * t)) + Math.sin(2 * m * RAD) * (0.019993 - 0.000101 * t) + Math.sin(3 * m * RAD) * 0.000289;
  const omega = 125.04 - 1934.136 * t;
  const lambda = l0 + centre - 0.00569 - 0.00478 * Math.sin(omega * RAD); // apparent longitude
  const eps0 = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
  const eps = eps0 + 0.00256 * Math.cos(omega * RAD); // corrected obliquity
  const declination = Math.asin(Math.sin(eps * RAD) * Math.sin(lambda * RAD)) * DEG;

  // Equation of time (minutes): apparent minus mean solar time.
  const y = Math.tan((eps / 2) * RAD) ** 2;
  const eot =
    4 *
    DEG *
    (y * Math.sin(2 * l0 * RAD) -
      2 * e * Math.sin(m * RAD) +
      4 * e * y * Math.sin(m * RAD) * Math.cos(2 * l0 * RAD) -
      0.5 * y * y * Math.sin(4 * l0 * RAD) -
      1.25 * e * e * Math.sin(2 * m * RAD));

  const utcMinutes = mod(epochMs / 60_000, 1440);
  const trueSolar = mod(utcMinutes + eot + 4 * longitude, 1440);
  const hourAngle = trueSolar / 4 - 180;

  const lat = latitude * RAD;
  const dec = declination * RAD;
  const cosZenith = Math.sin(lat) * Math.sin(dec) + Math.cos(lat) * Math.cos(dec) * Math.cos(hourAngle * RAD);
  const zenith = Math.acos(Math.max(-1, Math.min(1, cosZenith)));
  const geometric = 90 - zenith * DEG;

  // Azimuth from the zenith angle (NOAA's form); at a pole or the zenith any azimuth will do.
  const denominator = Math.cos(lat) * Math.sin(zenith);
  let azimuth = 180;
  if (Math.abs(denominator) > 1e-9) {
    const c = Math.max(-1, Math.min(1, (Math.sin(lat) * Math.cos(zenith) - Math.sin(dec)) / denominator));
    const a = Math.acos(c) * DEG;
    azimuth = hourAngle > 0 ? mod(a + 180, 360) : mod(540 - a, 360);
  }
  return { elevation: geometric + refraction(geometric), azimuth, declination };
}

/** NOAA's refraction approximation (degrees to add to the geometric elevation). */
function refraction(elevation: number): number {
  if (elevation > 85) return 0;
  const te = Math.tan(elevation * RAD);
  let arcsec: number;
  if (elevation > 5) arcsec = 58.1 / te - 0.07 / te ** 3 + 0.000086 / te ** 5;
  else if (elevation > -0.575) arcsec = 1735 + elevation * (-518.2 + elevation * (103.4 + elevation * (-12.79 + elevation * 0.711)));
  else arcsec = -20.774 / te;
  return arcsec / 3600;
}
