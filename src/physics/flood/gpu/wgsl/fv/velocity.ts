/** WGSL of ../../../fv/velocity.ts: Kurganov-Petrova desingularised velocity factor (u = f * hu). */
export const VELOCITY_WGSL = /* wgsl */ `
const SQRT2: f32 = 1.4142135623730951;

fn velocityFactor(h: f32, tol: f32, eps4: f32) -> f32 {
  if (h <= tol) { return 0.0; }
  let h2 = h * h;
  let h4 = h2 * h2;
  if (h4 >= eps4) { return 1.0 / h; }
  return (SQRT2 * h) / sqrt(h4 + eps4);
}
`;
