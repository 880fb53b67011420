/**
 * WGSL of ../../../fv/friction.ts: implicit Manning friction factor |q| / |q*|
 * = 2 h73 / (h73 + sqrt(h73^2 + 4 dt g n^2 |q*| h73)), h73 = h^(7/3). WGSL has no cbrt: exp2(log2(h) / 3)
 * refined by one Newton step (round-off level in f32).
 */
export const FRICTION_WGSL = /* wgsl */ `
fn cbrt(x: f32) -> f32 {
  if (x <= 0.0) { return 0.0; }
  let c = exp2(log2(x) / 3.0);
  return c - (c * c * c - x) / (3.0 * c * c);
}

fn frictionFactor(dtGn2: f32, h: f32, qx: f32, qy: f32) -> f32 {
  let h73 = h * h * cbrt(h);
  return (2.0 * h73) / (h73 + sqrt(h73 * h73 + 4.0 * dtGn2 * sqrt(qx * qx + qy * qy) * h73));
}
`;
