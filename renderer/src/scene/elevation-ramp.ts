/**
 * The hypsometric colour ramp used by the terrain mesh and drawn by the legend,
 * so the two always agree. Colours are sRGB in 0..1; `at` is the normalised
 * elevation (0 = site minimum, 1 = site maximum).
 */
export interface RampStop {
  at: number;
  rgb: readonly [number, number, number];
}

const hex = (value: number): readonly [number, number, number] => [
  ((value >> 16) & 255) / 255,
  ((value >> 8) & 255) / 255,
  (value & 255) / 255,
];

/** Lowland greens, upland tans and browns, pale summits (after classic atlas tints). */
export const ELEVATION_RAMP: readonly RampStop[] = [
  { at: 0.0, rgb: hex(0x2f6f4a) },
  { at: 0.14, rgb: hex(0x5c9a55) },
  { at: 0.3, rgb: hex(0xa9c47a) },
  { at: 0.46, rgb: hex(0xe4d79b) },
  { at: 0.62, rgb: hex(0xd6b27c) },
  { at: 0.78, rgb: hex(0xac825c) },
  { at: 0.9, rgb: hex(0x8f7767) },
  { at: 1.0, rgb: hex(0xf1eee9) },
];

/** Cells at or below sea level, on sites that reach above it (coasts). */
export const SEA_RGB: readonly [number, number, number] = hex(0x4d7898);

/** Grey for cells without data (drawn only where a mesh cannot skip them). */
export const NODATA_RGB: readonly [number, number, number] = [0.5, 0.5, 0.5];

/** Writes the ramp colour (sRGB) at normalised elevation `t` into out[offset..offset+2]. */
export function sampleRamp(t: number, out: Float32Array, offset: number, ramp: readonly RampStop[] = ELEVATION_RAMP): void {
  const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
  let i = 1;
  while (i < ramp.length - 1 && ramp[i]!.at < x) i++;
  const a = ramp[i - 1]!;
  const b = ramp[i]!;
  const f = b.at > a.at ? (x - a.at) / (b.at - a.at) : 0;
  out[offset] = a.rgb[0] + (b.rgb[0] - a.rgb[0]) * f;
  out[offset + 1] = a.rgb[1] + (b.rgb[1] - a.rgb[1]) * f;
  out[offset + 2] = a.rgb[2] + (b.rgb[2] - a.rgb[2]) * f;
}

/** A CSS gradient of the ramp, low to high along `direction` (e.g. "to top"). */
export function rampGradientCss(direction: string, ramp: readonly RampStop[] = ELEVATION_RAMP): string {
  const stops = ramp.map(({ at, rgb }) => {
    const [r, g, b] = rgb.map((c) => Math.round(c * 255));
    return `rgb(${r} ${g} ${b}) ${(at * 100).toFixed(1)}%`;
  });
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}

/**
 * How elevations map onto the ramp. On a site spanning sea level the ramp
 * covers land (0..max) and cells at or below 0 m take {@link SEA_RGB};
 * otherwise it spans the site's own range.
 */
export interface ElevationScale {
  lo: number;
  hi: number;
  sea: boolean;
}

export function elevationScale(min: number, max: number): ElevationScale {
  const sea = min <= 0 && max > 0;
  const lo = sea ? 0 : min;
  return { lo, hi: max > lo ? max : lo + 1, sea };
}
