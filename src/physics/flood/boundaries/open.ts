/**
 * Open: a transmissive (free outflow) boundary. fv: zero-gradient ghost cells,
 * a copy of the edge cell, so the edge flux is the physical flux of the edge
 * cell. inertial: the water-surface slope of the last two interior cells is
 * extrapolated outwards when it falls towards the edge (never invents inflow),
 * which drives a free outflow with the local gradient.
 */

/** Ghost state in the edge's outward frame: out = [eta, h, un (outward), ut]. */
export function openGhost(out: Float64Array, eta: number, h: number, un: number, ut: number): void {
  out[0] = eta;
  out[1] = h;
  out[2] = un;
  out[3] = ut;
}

/**
 * Inertial ghost water surface beyond the edge cell: etaEdge lowered by the
 * drop from the next interior cell to the edge cell when that drop is positive
 * and the next cell is wet; otherwise zero gradient.
 */
export function openGhostEta(etaEdge: number, etaInner: number, hInner: number, tol: number): number {
  const drop = etaInner - etaEdge;
  return hInner > tol && drop > 0 ? etaEdge - drop : etaEdge;
}
