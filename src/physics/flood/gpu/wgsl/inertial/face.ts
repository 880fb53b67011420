/**
 * WGSL of ../../../inertial/face.ts: the q-centred local-inertia face flow
 * (Bates et al. 2010; de Almeida et al. 2012) with implicit friction (as the CPU), and the per-cell positivity factor.
 *
 * f32 form: the CPU passes the surfaces eta_L, eta_R and forms
 * h_f = max(eta_L, eta_R) - max(z_L, z_R) and eta_R - eta_L. In f32, eta = h + z
 * keeps only ulp(z) of the depth (4e-6 m at z = 70 m: several per cent of a
 * 1e-4 m rain film), so here the depths are passed and the same two numbers
 * are formed from depth and bed differences, algebraically identical:
 *   dz = z_R - z_L,  h_f = dz <= 0 ? max(h_L, h_R + dz) : max(h_L - dz, h_R),  eta_R - eta_L = (h_R - h_L) + dz.
 */
import { FRICTION_WGSL } from '../fv/friction';

export const FACE_WGSL = /* wgsl */ `
${FRICTION_WGSL}
fn inertialFaceFlow(q: f32, qm: f32, qp: f32, hL: f32, hR: f32, zL: f32, zR: f32,
                    gDtOverD: f32, dtGn2: f32, theta: f32, tol: f32) -> f32 {
  let dz = zR - zL;
  let hf = select(max(hL - dz, hR), max(hL, hR + dz), dz <= 0.0);
  if (!(hf > tol)) { return 0.0; }
  let qa = theta * q + 0.5 * (1.0 - theta) * (qm + qp);
  let num = qa - gDtOverD * hf * ((hR - hL) + dz);
  if (dtGn2 == 0.0) { return num; }
  let h73 = hf * hf * cbrt(hf);
  return (2.0 * num * h73) / (h73 + sqrt(h73 * h73 + 4.0 * dtGn2 * abs(num) * h73));
}

fn outflowLimiter(volume: f32, outVolume: f32) -> f32 {
  return select(1.0, volume / outVolume, outVolume > volume);
}
`;
