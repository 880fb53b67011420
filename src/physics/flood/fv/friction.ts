/**
 * Implicit Manning friction, solved exactly for the split friction ODE
 *   dq/dt = -g n^2 |q| q / h^(7/3)  ->  backward Euler  q (1 + a |q|) = q*,
 * a = dt g n^2 / h^(7/3), q* the stage's explicit update: |q| = 2 |q*| /
 * (1 + sqrt(1 + 4 a |q*|)). Friction only slows the flow, never reverses it,
 * and the friction/gravity balance it reaches does not depend on dt.
 *
 * Why not the common linearisation q* / (1 + a |q_old|): on thin rain films
 * over steep ground the friction time h^(4/3) / (g n^2 |u|) is far below the
 * CFL step, and |q| changes by orders of magnitude within a step. A cell
 * that starts still gets no friction for a whole step, overshoots (metres per
 * second on a 30% slope), is then stopped, and so on: the hillslopes drain
 * too fast and the result depends on the CFL number (15% rel L1 in depth on
 * Jacksboro rain-on-grid, CFL 0.9 vs 0.02). Solving for |q| itself removes it.
 *
 * Returns the factor |q| / |q*| in (0, 1], written without dividing by h^(7/3):
 * 2 h73 / (h73 + sqrt(h73^2 + 4 dt g n^2 |q*| h73)). dtGn2 = dt g n^2; h > 0.
 * CPU arithmetic note (for the WGSL port): h^(7/3) = h^2 cbrt(h) with cbrt
 * from ../cbrt.ts (within 3 ulp of Math.cbrt, inlined by the JIT).
 */
import { cbrt } from '../cbrt';

export function frictionFactor(dtGn2: number, h: number, qx: number, qy: number): number {
  const h73 = h * h * cbrt(h);
  return (2 * h73) / (h73 + Math.sqrt(h73 * h73 + 4 * dtGn2 * Math.sqrt(qx * qx + qy * qy) * h73));
}
