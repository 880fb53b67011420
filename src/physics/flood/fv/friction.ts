/**
 * Point-implicit Manning friction: dq/dt = -g n^2 |q| q / h^(7/3) integrated
 * with the new depth and the explicit |q|:
 *   q_new = q / (1 + dt g n^2 |q| / h^(7/3)) = q * h^(7/3) / (h^(7/3) + dt g n^2 |q|).
 * Returns the factor in (0, 1]: friction can only slow the flow, never reverse it.
 * dtGn2 = dt g n^2; h > 0.
 */
export function frictionFactor(dtGn2: number, h: number, qx: number, qy: number): number {
  const h73 = h * h * Math.cbrt(h);
  return h73 / (h73 + dtGn2 * Math.sqrt(qx * qx + qy * qy));
}
