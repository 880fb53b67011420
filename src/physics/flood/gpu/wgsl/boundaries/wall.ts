/** WGSL of ../../../boundaries/wall.ts: reflective ghost (outward frame: eta, h, un, ut); no inertial flow. */
export const WALL_WGSL = /* wgsl */ `
fn wallGhost(eta: f32, h: f32, un: f32, ut: f32) -> vec4<f32> {
  return vec4<f32>(eta, h, -un, ut);
}

fn wallFlow() -> f32 {
  return 0.0;
}
`;
