/**
 * Open: a transmissive (free outflow) boundary. Beyond the edge the water
 * keeps the edge cell's depth and velocity (zero gradient), and its surface
 * keeps falling with the slope of the last two interior cells where that
 * slope falls towards the edge (never rising: the edge invents no inflow).
 * A lake at rest at an open edge therefore stays at rest, and a river or a
 * sheet of runoff leaves at its own normal depth instead of piling up at the
 * edge. fv: ghost layer L lies L * drop below the edge cell's surface;
 * inertial: the ghost surface drives the edge face's flow.
 */

/** The surface drop per cell towards the edge: etaInner - etaEdge when positive and the inner cell is wet. */
export function openSurfaceDrop(etaEdge: number, etaInner: number, hInner: number, tol: number): number {
  const drop = etaInner - etaEdge;
  return hInner > tol && drop > 0 ? drop : 0;
}

/** fv ghost state in the edge's outward frame: out = [eta, h, un (outward), ut]; `drop` from openSurfaceDrop times the layer. */
export function openGhost(out: Float64Array, eta: number, h: number, un: number, ut: number, drop: number): void {
  out[0] = eta - drop;
  out[1] = h;
  out[2] = un;
  out[3] = ut;
}

/** Inertial ghost water surface beyond the edge cell. */
export function openGhostEta(etaEdge: number, etaInner: number, hInner: number, tol: number): number {
  return etaEdge - openSurfaceDrop(etaEdge, etaInner, hInner, tol);
}
