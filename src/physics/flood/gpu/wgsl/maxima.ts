/**
 * Per-cell maxima kept on the GPU every step (flood-map products): max depth,
 * max speed |u| (desingularised as in ../../fv/velocity.ts), max |q| = h |u|
 * (the depth-velocity hazard), and the first time the depth exceeded
 * grid.arrivalDepth (NEVER until then). Needs `grid` and `maxima` bound.
 */
export const MAXIMA_WGSL = /* wgsl */ `
fn trackMaxima(k: u32, h: f32, speed: f32, q: f32, t: f32) {
  var m = maxima[k];
  m = vec4<f32>(max(m.x, h), max(m.y, speed), max(m.z, q), m.w);
  if (m.w < 0.0 && h > grid.arrivalDepth) { m.w = t; }
  maxima[k] = m;
}
`;
