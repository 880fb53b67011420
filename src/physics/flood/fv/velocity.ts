/**
 * Velocity from depth and unit discharge with the Kurganov-Petrova (2007)
 * desingularisation: u = q / h where h^4 >= eps^4, else
 * u = sqrt(2) h q / sqrt(h^4 + eps^4); zero in dry cells (h <= tol).
 *
 * The factor f with u = f * (h u): 1/h, or sqrt(2) h / sqrt(h^4 + eps^4) below
 * the desingularisation depth, 0 when dry. One division serves both components.
 */
export function velocityFactor(h: number, tol: number, eps4: number): number {
  if (h <= tol) return 0;
  const h2 = h * h;
  const h4 = h2 * h2;
  return h4 >= eps4 ? 1 / h : (Math.SQRT2 * h) / Math.sqrt(h4 + eps4);
}
