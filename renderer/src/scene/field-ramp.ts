/**
 * Colour ramps and scales of the weather overlays, shared by the field
 * overlay's shader and the weather legend so the two always agree. A scale
 * maps a field value (in the units the engine streams: degC, Pa) linearly
 * onto the ramp between a low and a high end that are whole multiples of the
 * legend's tick step, so the ticks sit exactly on the ramp positions they
 * name.
 */
import type { RampStop } from './elevation-ramp';

export type OverlayField = 'temperature' | 'pressure' | 'relativeHumidity';

const hex = (value: number): readonly [number, number, number] => [
  ((value >> 16) & 255) / 255,
  ((value >> 8) & 255) / 255,
  (value & 255) / 255,
];

/** Evenly spaced stops (the shader samples them so). */
function even(colors: number[]): readonly RampStop[] {
  return colors.map((c, i) => ({ at: i / (colors.length - 1), rgb: hex(c) }));
}

export interface FieldStyle {
  label: string;
  /** Units the legend shows, and the factor from the streamed units to them. */
  unit: string;
  toDisplay: number;
  ramp: readonly RampStop[];
}

export const FIELD_STYLES: Record<OverlayField, FieldStyle> = {
  // Cold blues through pale yellow to warm reds (ColorBrewer RdYlBu, reversed).
  temperature: { label: 'Air temperature', unit: '\u00b0C', toDisplay: 1, ramp: even([0x313695, 0x4575b4, 0x74add1, 0xabd9e9, 0xfee090, 0xf46d43, 0xa50026]) },
  // Low pressure dark violet to high pressure yellow (viridis).
  pressure: { label: 'Air pressure', unit: 'hPa', toDisplay: 0.01, ramp: even([0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725]) },
  // Dry browns through pale to moist blue-greens (ColorBrewer BrBG); streamed as a fraction, shown in %.
  relativeHumidity: { label: 'Relative humidity', unit: '%', toDisplay: 100, ramp: even([0x8c510a, 0xd8b365, 0xf6e8c3, 0xc7eae5, 0x5ab4ac, 0x01665e]) },
};

/** Where the ramp starts and ends, in the streamed units, and the legend's tick step in display units. */
export interface FieldScale {
  lo: number;
  hi: number;
  step: number;
}

/** A 1, 2, 2.5 or 5 x 10^k step giving about `count` intervals over [lo, hi]. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** The scale for values spanning [min, max] (streamed units): ends rounded out to the tick step. */
export function fieldScale(field: OverlayField, min: number, max: number, ticks = 5): FieldScale {
  const k = FIELD_STYLES[field].toDisplay;
  let a = min * k;
  let b = max * k;
  if (!(b > a)) [a, b] = [a - 0.5, b + 0.5];
  const step = niceStep(b - a, ticks - 1);
  return { lo: (Math.floor(a / step) * step) / k, hi: (Math.ceil(b / step) * step) / k, step };
}

/** Where a value sits on the ramp, 0..1 (the shader computes the same). */
export function fieldPosition(scale: FieldScale, value: number): number {
  return Math.min(1, Math.max(0, (value - scale.lo) / (scale.hi - scale.lo)));
}

/** The legend's ticks: every step from the low end to the high end, in display units, with their ramp positions. */
export function fieldTicks(field: OverlayField, scale: FieldScale): { value: number; at: number }[] {
  const k = FIELD_STYLES[field].toDisplay;
  const lo = scale.lo * k;
  const n = Math.round((scale.hi * k - lo) / scale.step);
  return Array.from({ length: n + 1 }, (_, i) => {
    const value = Number((lo + i * scale.step).toPrecision(12));
    return { value, at: fieldPosition(scale, value / k) };
  });
}
