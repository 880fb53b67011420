/** WGSL of ../../../boundaries/open.ts: transmissive edge whose surface keeps falling, never rising. */
export const OPEN_WGSL = /* wgsl */ `
fn openSurfaceDrop(etaEdge: f32, etaInner: f32, hInner: f32, tol: f32) -> f32 {
  let drop = etaInner - etaEdge;
  return select(0.0, drop, hInner > tol && drop > 0.0);
}

fn openGhost(eta: f32, h: f32, un: f32, ut: f32, drop: f32) -> vec4<f32> {
  return vec4<f32>(eta - drop, h, un, ut);
}

fn openGhostEta(etaEdge: f32, etaInner: f32, hInner: f32, tol: f32) -> f32 {
  return etaEdge - openSurfaceDrop(etaEdge, etaInner, hInner, tol);
}

/** openGhostEta minus the edge's bed (the inertial ghost as a depth, see ../inertial/face.ts), from depth and bed differences. */
fn openGhostDepth(hEdge: f32, zEdge: f32, hInner: f32, zInner: f32, tol: f32) -> f32 {
  let drop = (hInner - hEdge) + (zInner - zEdge);
  return hEdge - select(0.0, drop, hInner > tol && drop > 0.0);
}
`;
