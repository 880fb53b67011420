/** WGSL of ../../../fv/limiter.ts: the minmod slope limiter. */
export const LIMITER_WGSL = /* wgsl */ `
fn minmod(a: f32, b: f32) -> f32 {
  if (a > 0.0) { return select(0.0, min(a, b), b > 0.0); }
  if (a < 0.0) { return select(0.0, max(a, b), b < 0.0); }
  return 0.0;
}
`;
