/**
 * Wall: a reflective boundary. The ghost cell mirrors the interior cell across
 * the edge (same surface and depth, normal velocity reversed), so the normal
 * mass flux through the edge is exactly zero; the inertial face flow is zero.
 * Ghost layer L mirrors interior layer L (second-order reflection).
 */

/** Ghost state in the edge's outward frame: out = [eta, h, un (outward), ut]. */
export function wallGhost(out: Float64Array, eta: number, h: number, un: number, ut: number): void {
  out[0] = eta;
  out[1] = h;
  out[2] = -un;
  out[3] = ut;
}

/** Inertial: no flow through a wall. */
export function wallFlow(): number {
  return 0;
}
