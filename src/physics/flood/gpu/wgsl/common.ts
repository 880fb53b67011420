/**
 * WGSL shared by every kernel: the constants of ../../constants.ts (shared, not
 * copied: the numbers are interpolated from the CPU module), a non-finite test
 * that survives compilers which assume finite maths, the workgroup reduction
 * of the per-step partial results, and double-f32 time.
 */
import {
  BOUNDARY_OPEN,
  BOUNDARY_STAGE,
  BOUNDARY_WALL,
  FV_POSITIVITY_COURANT,
  GRAVITY,
  INERTIAL_ALPHA,
  INERTIAL_THETA,
} from '../../constants';

/** A WGSL f32 literal for a JS number. */
export function f32(x: number): string {
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

export const CONSTANTS_WGSL = /* wgsl */ `
const GRAVITY: f32 = ${f32(GRAVITY)};
const FV_POSITIVITY_COURANT: f32 = ${f32(FV_POSITIVITY_COURANT)};
const INERTIAL_ALPHA: f32 = ${f32(INERTIAL_ALPHA)};
const INERTIAL_THETA: f32 = ${f32(INERTIAL_THETA)};
const BOUNDARY_WALL: u32 = ${BOUNDARY_WALL}u;
const BOUNDARY_OPEN: u32 = ${BOUNDARY_OPEN}u;
const BOUNDARY_STAGE: u32 = ${BOUNDARY_STAGE}u;
const WEST: u32 = 0u;
const EAST: u32 = 1u;
const NORTH: u32 = 2u;
const SOUTH: u32 = 3u;
/** Stands for +Infinity (a step limit that limits nothing). */
const BIG: f32 = 3.0e38;
/** Arrival time of a cell the water has not reached yet. */
const NEVER: f32 = -1.0;

/** NaN or +-Inf, by the bits: WGSL lets compilers assume finite values, so x != x may fold to false. */
fn isBad(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u;
}
`;

/**
 * Partial results (limiter candidate, clipped depth, bad flag, 0) fold by
 * (max, sum, max, max). Reductions here use no workgroup barriers: each
 * invocation folds its own strided share (coalesced on a GPU), level after
 * level (kernels/reduce.ts); software Vulkan (SwiftShader) runs barriers as
 * coroutines, about 100 times slower.
 */
export const REDUCE_WGSL = /* wgsl */ `
fn combine(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(max(a.x, b.x), a.y + b.y, max(a.z, b.z), max(a.w, b.w));
}
`;

/** Time as an unevaluated sum hi + lo of two f32 (Knuth's TwoSum), so thousands of steps add up without drift. */
export const CLOCK_WGSL = /* wgsl */ `
fn twoSum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  let err = (a - (s - bb)) + (b - bb);
  return vec2<f32>(s, err);
}

/** (hi, lo) + x, renormalised. */
fn addTime(t: vec2<f32>, x: f32) -> vec2<f32> {
  let s = twoSum(t.x, x);
  let lo = s.y + t.y;
  let hi = s.x + lo;
  return vec2<f32>(hi, lo - (hi - s.x));
}

/** a - b for two (hi, lo) times, rounded to one f32. */
fn diffTime(a: vec2<f32>, b: vec2<f32>) -> f32 {
  let s = twoSum(a.x, -b.x);
  return s.x + (s.y + (a.y - b.y));
}
`;
