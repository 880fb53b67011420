/**
 * Local-inertia face flow (Bates et al. 2010) in the q-centred form of
 * de Almeida et al. (2012):
 *
 *   q^{n+1} = [theta q + (1 - theta)/2 (q_m + q_p) - g h_f dt (eta_R - eta_L)/d]
 *             / [1 + g dt n^2 |q| / h_f^{7/3}]
 *
 * with the flow depth h_f = max(eta_L, eta_R) - max(z_L, z_R); no flow where
 * h_f <= tol. q is the face's unit discharge (m^2/s, positive from L to R),
 * q_m, q_p its neighbours along the flow direction, all at time n.
 * gDtOverD = g dt / d, dtGn2 = dt g n^2 at the face.
 */
export function inertialFaceFlow(
  q: number,
  qm: number,
  qp: number,
  etaL: number,
  etaR: number,
  zL: number,
  zR: number,
  gDtOverD: number,
  dtGn2: number,
  theta: number,
  tol: number,
): number {
  const hf = (etaL > etaR ? etaL : etaR) - (zL > zR ? zL : zR);
  if (!(hf > tol)) return 0;
  const num = theta * q + 0.5 * (1 - theta) * (qm + qp) - gDtOverD * hf * (etaR - etaL);
  if (dtGn2 === 0) return num;
  return num / (1 + (dtGn2 * Math.abs(q)) / (hf * hf * Math.cbrt(hf)));
}

/**
 * The positivity factor of a cell: the share of its outgoing flows it can pay
 * for with the water it holds, min(1, h A / (dt * outflow)).
 */
export function outflowLimiter(volume: number, outVolume: number): number {
  return outVolume > volume ? volume / outVolume : 1;
}
