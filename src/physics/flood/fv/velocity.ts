/**
 * Velocity from depth and unit discharge with the Kurganov-Petrova (2007)
 * desingularisation: u = q / h where h^4 >= eps^4, else
 * u = sqrt(2) h q / sqrt(h^4 + eps^4); zero in dry cells (h <= tol).
 */
export function desingularisedVelocity(h: number, q: number, tol: number, eps4: number): number {
  if (h <= tol) return 0;
  const h2 = h * h;
  const h4 = h2 * h2;
  return h4 >= eps4 ? q / h : (Math.SQRT2 * h * q) / Math.sqrt(h4 + eps4);
}
