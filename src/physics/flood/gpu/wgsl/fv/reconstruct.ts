/**
 * WGSL of ../../../fv/reconstruct.ts: MUSCL (minmod) reconstruction of one
 * cell along one direction. Each argument is a cell's primitives in the
 * direction's frame, vec4(eta, h, n, t) (n normal, t tangential velocity);
 * m = minus (west / south) neighbour, c = the cell, p = plus (east / north)
 * neighbour. Zero slopes next to a dry cell.
 */
import { LIMITER_WGSL } from './limiter';

export const RECONSTRUCT_WGSL = /* wgsl */ `
${LIMITER_WGSL}
struct Recon {
  minus: vec4<f32>,   // (eta, h, n, t) at the minus face
  plus: vec4<f32>,    // at the plus face
  s: vec4<f32>,       // the limited half slopes (se, sh, sn, st); the CPU's src is 2 (sh - se)
}

fn reconstructCell(m: vec4<f32>, c: vec4<f32>, p: vec4<f32>, tol: f32) -> Recon {
  if (m.y > tol && c.y > tol && p.y > tol) {
    let s = 0.5 * vec4<f32>(
      minmod(c.x - m.x, p.x - c.x),
      minmod(c.y - m.y, p.y - c.y),
      minmod(c.z - m.z, p.z - c.z),
      minmod(c.w - m.w, p.w - c.w));
    return Recon(c - s, c + s, s);
  }
  return Recon(c, c, vec4<f32>(0.0));
}

/** Frames: x keeps (eta, h, u, v); y swaps to (eta, h, v, u). */
fn yFrame(q: vec4<f32>) -> vec4<f32> {
  return q.xywz;
}
`;
