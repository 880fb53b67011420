/**
 * The look of the sky and its light for a sun elevation: colours of the
 * zenith, the horizon and the haze below it, the sun's colour and the
 * lights' strengths, interpolated between hand-picked stops (night, civil
 * twilight, sunset, golden hour, morning, noon). The lights never go below
 * a floor, so the terrain stays readable at night. Also how thick the fog
 * is for the humidity near the ground. Pure; colours are sRGB hex.
 */

export interface SkyPalette {
  zenith: string;
  horizon: string;
  /** Below the horizon: the haze the terrain block floats in. */
  haze: string;
  sun: string;
  /** Directional (sun) and hemisphere (sky) light intensities. */
  sunLight: number;
  skyLight: number;
  /** 0..1: how strongly the sun's glow and disc show (0 once it has set). */
  glow: number;
}

interface Stop extends SkyPalette {
  elevation: number;
}

const STOPS: readonly Stop[] = [
  { elevation: -18, zenith: '#060a13', horizon: '#121a29', haze: '#0b1019', sun: '#8ea6d6', sunLight: 0.5, skyLight: 0.85, glow: 0 },
  { elevation: -6, zenith: '#16223c', horizon: '#4a4760', haze: '#1a1f2c', sun: '#a8a9d0', sunLight: 0.55, skyLight: 0.9, glow: 0 },
  { elevation: 0, zenith: '#36558a', horizon: '#f1a56e', haze: '#5a5a63', sun: '#ffa060', sunLight: 0.85, skyLight: 1.0, glow: 1 },
  { elevation: 8, zenith: '#4673b0', horizon: '#f2d2aa', haze: '#8e9297', sun: '#ffd7a6', sunLight: 1.25, skyLight: 1.25, glow: 0.9 },
  { elevation: 25, zenith: '#3a71bd', horizon: '#bdd4ea', haze: '#9eb0c2', sun: '#fff1dd', sunLight: 1.55, skyLight: 1.45, glow: 0.7 },
  { elevation: 60, zenith: '#2d68bd', horizon: '#c6dbef', haze: '#a8bbcd', sun: '#fff6e8', sunLight: 1.7, skyLight: 1.5, glow: 0.6 },
];

export function skyPalette(elevation: number): SkyPalette {
  const e = Number.isFinite(elevation) ? elevation : 45;
  let i = 0;
  while (i < STOPS.length - 2 && e > STOPS[i + 1]!.elevation) i++;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const t = Math.max(0, Math.min(1, (e - a.elevation) / (b.elevation - a.elevation)));
  const num = (x: number, y: number) => x + (y - x) * t;
  return {
    zenith: mixHex(a.zenith, b.zenith, t),
    horizon: mixHex(a.horizon, b.horizon, t),
    haze: mixHex(a.haze, b.haze, t),
    sun: mixHex(a.sun, b.sun, t),
    sunLight: num(a.sunLight, b.sunLight),
    skyLight: num(a.skyLight, b.skyLight),
    glow: num(a.glow, b.glow),
  };
}

/** The lowest the light comes from: below it, slopes facing away would go black (the moon and sky still light them). */
export const MIN_LIGHT_ELEVATION = 12;

/** Mixes two "#rrggbb" colours (in sRGB, as a painter would). */
export function mixHex(a: string, b: string, t: number): string {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  let out = 0;
  for (const shift of [16, 8, 0]) {
    const x = (pa >> shift) & 255;
    const y = (pb >> shift) & 255;
    out |= Math.round(x + (y - x) * t) << shift;
  }
  return `#${out.toString(16).padStart(6, '0')}`;
}

/** Share of the fog colour over the far side of the terrain: a light haze in dry air, thick in saturated air. */
export const HAZE = 0.35;
export const THICK_FOG = 0.85;

/**
 * How thick the fog is (the share of fog colour on the terrain's far side) for
 * the mean relative humidity and cloud/fog fraction near the ground (fractions;
 * null when the weather has none): haze below 60% humidity, rising to thick fog
 * at saturation or full cloud at the ground.
 */
export function fogThickness(relativeHumidity: number | null, cloudFraction: number | null): number {
  const wetRh = relativeHumidity === null ? 0 : (relativeHumidity - 0.6) / 0.4;
  const wet = Math.max(0, Math.min(1, Math.max(wetRh, cloudFraction ?? 0)));
  return HAZE + (THICK_FOG - HAZE) * wet * wet;
}

/** Mean of the finite values of a field, or null when it has none. */
export function fieldMean(values: Float32Array | null | undefined): number | null {
  if (!values) return null;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === v) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : null;
}
