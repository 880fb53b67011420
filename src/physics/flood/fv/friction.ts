/**
 * Semi-implicit (point-implicit, linearised) Manning friction:
 *   dq/dt = -g n^2 |q| q / h^(7/3)  ->  q_new = q* / (1 + dt g n^2 |q_old| / h_new^(7/3)),
 * with q* the stage's explicit update, |q_old| the stage's input discharge and
 * h_new its new depth. Friction can only slow the flow, never reverse it, and
 * a steady balance between friction and the other terms does not depend on dt.
 * Returns the factor 1 / (1 + ...) in (0, 1]. dtGn2 = dt g n^2; h > 0.
 * CPU arithmetic note (for the WGSL port): h^(7/3) = h^2 cbrt(h) with cbrt
 * from ../cbrt.ts (within 3 ulp of Math.cbrt, inlined by the JIT); the
 * formula is unchanged.
 */
import { cbrt } from '../cbrt';

export function frictionFactor(dtGn2: number, h: number, qx: number, qy: number): number {
  const h73 = h * h * cbrt(h);
  return h73 / (h73 + dtGn2 * Math.sqrt(qx * qx + qy * qy));
}
