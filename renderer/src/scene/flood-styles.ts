/**
 * How the derived flood layers are coloured, shared by the overlay that
 * draws them and their legend so the two always agree: each names the ramp,
 * the scale that maps its values onto the ramp (a FieldOverlay scale), and
 * how its raw values become the values drawn.
 *
 * - max depth: the water layer's ramp on the same log scale, so a colour
 *   means the same depth in both;
 * - hazard: one stop per class, values the class index (./flood-hazard.ts);
 * - arrival: minutes from the start, early red to late blue, the scale
 *   rounded out to a whole number of tick steps.
 */
import { DEPTH_RAMP, DEPTH_SCALE, DEPTH_THRESHOLD_M } from './depth-ramp';
import type { RampStop } from './elevation-ramp';
import type { FieldScale } from './field-ramp';
import { HAZARD_CLASSES, HAZARD_RAMP } from './flood-hazard';

export type DerivedFloodLayer = 'max-depth' | 'hazard' | 'arrival';

const hex = (value: number): readonly [number, number, number] => [
  ((value >> 16) & 255) / 255,
  ((value >> 8) & 255) / 255,
  (value & 255) / 255,
];

/** Early (red: little warning) to late (blue); ColorBrewer RdYlBu. Evenly spaced, as the overlay samples them. */
export const ARRIVAL_RAMP: readonly RampStop[] = [0xd73027, 0xfc8d59, 0xfee090, 0x91bfdb, 0x4575b4].map((c, i, all) => ({
  at: i / (all.length - 1),
  rgb: hex(c),
}));

/** Max depth drawn as log(depth): linear in the log is the water layer's log scale. */
export const MAX_DEPTH_SCALE: FieldScale = { lo: DEPTH_SCALE.logMin, hi: DEPTH_SCALE.logMin + DEPTH_SCALE.logSpan, step: 0 };
export const HAZARD_SCALE: FieldScale = { lo: 0, hi: HAZARD_CLASSES.length - 1, step: 1 };

export function layerRamp(layer: DerivedFloodLayer): readonly RampStop[] {
  return layer === 'max-depth' ? DEPTH_RAMP : layer === 'hazard' ? HAZARD_RAMP : ARRIVAL_RAMP;
}

/** Max depths (m) to the values drawn, in place: log(depth), NaN (not drawn) below the water layer's threshold. */
export function logDepths(values: Float32Array): Float32Array {
  // The water layer's shader compares 32-bit depths with a 32-bit threshold: so does this.
  const threshold = Math.fround(DEPTH_THRESHOLD_M);
  for (let i = 0; i < values.length; i++) {
    const d = values[i]!;
    values[i] = d >= threshold ? Math.log(d) : NaN;
  }
  return values;
}

/** Tick steps for arrival times, minutes. */
const ARRIVAL_STEPS_MIN = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440];
const MAX_ARRIVAL_INTERVALS = 6;

/** The arrival scale (s) for a run whose frames reach `lastTime` s: 0 to a whole number of steps (min) at or past it. */
export function arrivalScale(lastTime: number): FieldScale {
  const minutes = Math.max(lastTime / 60, 1);
  const step = ARRIVAL_STEPS_MIN.find((s) => minutes / s <= MAX_ARRIVAL_INTERVALS) ?? ARRIVAL_STEPS_MIN.at(-1)!;
  return { lo: 0, hi: Math.ceil(minutes / step - 1e-9) * step * 60, step };
}

/** The arrival legend's ticks: every step from 0, labelled in minutes (hours from 1 h steps), at their ramp positions. */
export function arrivalTicks(scale: FieldScale): { label: string; at: number }[] {
  const hiMin = scale.hi / 60;
  const n = Math.round(hiMin / scale.step);
  return Array.from({ length: n + 1 }, (_, i) => {
    const m = i * scale.step;
    return { label: scale.step >= 60 ? `${m / 60} h` : `${m} min`, at: m / hiMin };
  });
}
