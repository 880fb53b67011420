/**
 * WGSL of ../../../fv/riemann.ts: hydrostatic reconstruction (Audusse et al.
 * 2004) + HLL with Einfeldt/Davis speeds, Toro's dry-front speeds, tangential
 * momentum upwinded by the mass flux. Returns vec4(f0, f1L, f1R, f2).
 */
export const RIEMANN_WGSL = /* wgsl */ `
/** HLL flux between (hL, nL) and (hR, nR): vec2(mass flux, normal momentum flux). */
fn hllFlux(hL: f32, nL: f32, hR: f32, nR: f32) -> vec2<f32> {
  let g = GRAVITY;
  if (!(hL > 0.0 || hR > 0.0)) { return vec2<f32>(0.0, 0.0); }
  let cL = sqrt(g * hL);
  let cR = sqrt(g * hR);
  var sL: f32;
  var sR: f32;
  if (hL <= 0.0) {
    sL = nR - 2.0 * cR;
    sR = nR + cR;
  } else if (hR <= 0.0) {
    sL = nL - cL;
    sR = nL + 2.0 * cL;
  } else {
    sL = min(nL - cL, nR - cR);
    sR = max(nL + cL, nR + cR);
  }
  let qL = hL * nL;
  let qR = hR * nR;
  let pL = qL * nL + 0.5 * g * hL * hL;
  let pR = qR * nR + 0.5 * g * hR * hR;
  if (sL >= 0.0) { return vec2<f32>(qL, pL); }
  if (sR <= 0.0) { return vec2<f32>(qR, pR); }
  let inv = 1.0 / (sR - sL);
  let ss = sL * sR;
  return vec2<f32>((sR * qL - sL * qR + ss * (hR - hL)) * inv, (sR * pL - sL * pR + ss * (qR - qL)) * inv);
}

/** L: plus-face values of the left cell, R: minus-face values of the right cell, both (eta, h, n, t). */
fn hydrostaticHllFlux(L: vec4<f32>, R: vec4<f32>) -> vec4<f32> {
  let zL = L.x - L.y;
  let zR = R.x - R.y;
  let zs = max(zL, zR);
  let hsL = select(0.0, L.x - zs, L.x > zs);
  let hsR = select(0.0, R.x - zs, R.x > zs);
  let f = hllFlux(hsL, L.z, hsR, R.z);
  let hg = 0.5 * GRAVITY;
  let f1L = f.y + hg * (L.y * L.y - hsL * hsL);
  let f1R = f.y + hg * (R.y * R.y - hsR * hsR);
  let f2 = select(f.x * R.w, f.x * L.w, f.x > 0.0);
  return vec4<f32>(f.x, f1L, f1R, f2);
}
`;
