/**
 * WGSL of ../../../inertial/face.ts: the q-centred local-inertia face flow
 * (Bates et al. 2010; de Almeida et al. 2012) with friction linearised on the
 * q-centred discharge, and the per-cell positivity factor.
 */
import { FRICTION_WGSL } from '../fv/friction';

export const FACE_WGSL = /* wgsl */ `
${FRICTION_WGSL}
fn inertialFaceFlow(q: f32, qm: f32, qp: f32, etaL: f32, etaR: f32, zL: f32, zR: f32,
                    gDtOverD: f32, dtGn2: f32, theta: f32, tol: f32) -> f32 {
  let hf = max(etaL, etaR) - max(zL, zR);
  if (!(hf > tol)) { return 0.0; }
  let qa = theta * q + 0.5 * (1.0 - theta) * (qm + qp);
  let num = qa - gDtOverD * hf * (etaR - etaL);
  if (dtGn2 == 0.0) { return num; }
  let h73 = hf * hf * cbrt(hf);
  return (num * h73) / (h73 + dtGn2 * abs(qa));
}

fn outflowLimiter(volume: f32, outVolume: f32) -> f32 {
  return select(1.0, volume / outVolume, outVolume > volume);
}
`;
