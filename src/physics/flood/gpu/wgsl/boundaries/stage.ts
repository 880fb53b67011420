/**
 * WGSL of ../../../boundaries/stage.ts: prescribed water-surface elevation
 * beyond the edge; fv normal velocity from the outgoing Riemann invariant,
 * transmissive for supercritical outflow.
 */
export const STAGE_WGSL = /* wgsl */ `
fn stageGhost(eta: f32, h: f32, un: f32, ut: f32, stage: f32) -> vec4<f32> {
  let z = eta - h;
  let c = sqrt(GRAVITY * h);
  if (un >= c && h > 0.0) { return vec4<f32>(eta, h, un, ut); }
  let hg = stage - z;
  if (hg <= 0.0) { return vec4<f32>(z, 0.0, 0.0, 0.0); }
  return vec4<f32>(stage, hg, un + 2.0 * (c - sqrt(GRAVITY * hg)), ut);
}

fn stageGhostEta(stage: f32) -> f32 {
  return stage;
}

/** stageGhostEta minus the edge's bed (the inertial ghost as a depth; may be negative: below the bed). */
fn stageGhostDepth(stage: f32, zEdge: f32) -> f32 {
  return stageGhostEta(stage) - zEdge;
}
`;
