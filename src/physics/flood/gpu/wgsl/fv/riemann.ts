/**
 * WGSL of ../../../fv/riemann.ts: hydrostatic reconstruction (Audusse et al.
 * 2004) + HLL with Einfeldt/Davis speeds, Toro's dry-front speeds, tangential
 * momentum upwinded by the mass flux.
 *
 * f32 form of the momentum flux (algebraically the CPU's): the CPU returns
 * f1L = f1 + g/2 (hL^2 - hsL^2) and the cell update adds the centred bed
 * source g h src; a lake at rest balances only after these large terms cancel,
 * which f32 does to ~1e-7 g h^2 per step (a drift of ~1e-5 m/s in 1000 steps).
 * Here the solver returns the fluxes relative to each side's star pressure,
 *   fL' = f1 - g/2 hsL^2,  fR' = f1 - g/2 hsR^2   (CPU: f1L = fL' + g/2 hL^2),
 * computed without forming g/2 hs^2 (HLL with dP = g/2 (hsR^2 - hsL^2)), so they
 * are exactly 0 for a lake at rest, and the update (kernels/fv-update.ts) adds
 * the rest in closed form. Returns vec4(f0, fL', fR', f2).
 */
export const RIEMANN_WGSL = /* wgsl */ `
const HG: f32 = 0.5 * GRAVITY;

/**
 * HLL flux between (hL, nL) and (hR, nR) (the star depths):
 * vec3(mass flux, momentum flux - g/2 hL^2, momentum flux - g/2 hR^2).
 */
fn hllFlux(hL: f32, nL: f32, hR: f32, nR: f32) -> vec3<f32> {
  let g = GRAVITY;
  if (!(hL > 0.0 || hR > 0.0)) { return vec3<f32>(0.0); }
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
  let mL = qL * nL;                       // advective momentum fluxes
  let mR = qR * nR;
  let dP = HG * (hR - hL) * (hR + hL);    // g/2 hR^2 - g/2 hL^2
  if (sL >= 0.0) { return vec3<f32>(qL, mL, mL - dP); }
  if (sR <= 0.0) { return vec3<f32>(qR, mR + dP, mR); }
  let inv = 1.0 / (sR - sL);
  let ss = sL * sR;
  let f0 = (sR * qL - sL * qR + ss * (hR - hL)) * inv;
  // (sR pL - sL pR + ss (qR - qL)) / (sR - sL) - g/2 hL^2, with p = m + g/2 h^2
  let fL = (sR * mL - sL * (mR + dP) + ss * (qR - qL)) * inv;
  return vec3<f32>(f0, fL, fL - dP);
}

/** L: plus-face values of the left cell, R: minus-face values of the right cell, both (eta, h, n, t). */
fn hydrostaticHllFlux(L: vec4<f32>, R: vec4<f32>) -> vec4<f32> {
  let zL = L.x - L.y;
  let zR = R.x - R.y;
  let zs = max(zL, zR);
  let hsL = select(0.0, L.x - zs, L.x > zs);
  let hsR = select(0.0, R.x - zs, R.x > zs);
  let f = hllFlux(hsL, L.z, hsR, R.z);
  let f2 = select(f.x * R.w, f.x * L.w, f.x > 0.0);
  return vec4<f32>(f.x, f.y, f.z, f2);
}
`;
