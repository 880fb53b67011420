/**
 * The water-depth colour ramp, shared by the water layer's shader and the
 * depth legend so the two always agree. Depth maps onto the ramp on a log
 * scale from {@link DEPTH_THRESHOLD_M} (shallower water is not drawn) to
 * {@link DEPTH_MAX_M} (deeper water takes the last colour): a centimetre
 * film and a two-metre channel both stay readable.
 */
import type { RampStop } from './elevation-ramp';

/** Water shallower than this (m) is not drawn: wet-looking ground would hide the terrain. */
export const DEPTH_THRESHOLD_M = 0.01;
export const DEPTH_MAX_M = 3;

const hex = (value: number): readonly [number, number, number] => [
  ((value >> 16) & 255) / 255,
  ((value >> 8) & 255) / 255,
  (value & 255) / 255,
];

/** Sky-blue films to deep navy pools; evenly spaced, as the shader samples them. */
export const DEPTH_RAMP: readonly RampStop[] = [
  { at: 0, rgb: hex(0x5cc2f2) },
  { at: 0.25, rgb: hex(0x2f95e0) },
  { at: 0.5, rgb: hex(0x1e6fcc) },
  { at: 0.75, rgb: hex(0x1a4ca6) },
  { at: 1, rgb: hex(0x142c78) },
];

/** Opacity of the thinnest drawn water and of the deepest: films tint the ground, pools hide it. */
export const ALPHA_SHALLOW = 0.3;
export const ALPHA_DEEP = 0.94;

const LOG_MIN = Math.log(DEPTH_THRESHOLD_M);
const LOG_SPAN = Math.log(DEPTH_MAX_M) - LOG_MIN;

/** Where a depth sits on the ramp, 0..1 (the shader computes the same). */
export function depthPosition(depth: number): number {
  if (!(depth > DEPTH_THRESHOLD_M)) return 0;
  return Math.min(1, (Math.log(depth) - LOG_MIN) / LOG_SPAN);
}

/** Shader constants: the log scale's origin and span. */
export const DEPTH_SCALE = { logMin: LOG_MIN, logSpan: LOG_SPAN };

/** Legend ticks (m), on the log scale. */
export const DEPTH_TICKS = [0.01, 0.03, 0.1, 0.3, 1, 3];
