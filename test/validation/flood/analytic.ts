/**
 * Analytic solutions of the shallow-water equations used by the validation
 * tests (SWASHES, Delestre et al. 2013, is the reference for each).
 */
export const G = 9.81;

/** Ritter (1892): dam break on a dry, flat, frictionless bed; dam at x0, depth hl upstream. */
export function ritterDepth(x: number, t: number, x0: number, hl: number): number {
  const c0 = Math.sqrt(G * hl);
  const xa = x0 - c0 * t;
  const xb = x0 + 2 * c0 * t;
  if (x <= xa) return hl;
  if (x >= xb) return 0;
  const s = 2 * c0 - (x - x0) / t;
  return (s * s) / (9 * G);
}

/**
 * Stoker (1957): dam break on a wet, flat, frictionless bed (hl > hr > 0):
 * a left rarefaction, a middle state (hm, um) and a right shock. hm solves
 * 2 (cl - cm) = (hm - hr) sqrt(g (hm + hr) / (2 hm hr)) (bisection).
 */
export function stokerMiddle(hl: number, hr: number): { hm: number; um: number; shock: number } {
  const cl = Math.sqrt(G * hl);
  const f = (h: number) => 2 * (cl - Math.sqrt(G * h)) - (h - hr) * Math.sqrt((G * (h + hr)) / (2 * h * hr));
  let lo = hr;
  let hi = hl;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  const hm = 0.5 * (lo + hi);
  const um = 2 * (cl - Math.sqrt(G * hm));
  return { hm, um, shock: (hm * um) / (hm - hr) };
}

export function stokerDepth(x: number, t: number, x0: number, hl: number, hr: number): number {
  const { hm, um, shock } = stokerMiddle(hl, hr);
  const cl = Math.sqrt(G * hl);
  const cm = Math.sqrt(G * hm);
  const xi = (x - x0) / t;
  if (xi <= -cl) return hl;
  if (xi <= um - cm) {
    const s = 2 * cl - xi;
    return (s * s) / (9 * G);
  }
  if (xi < shock) return hm;
  return hr;
}

/**
 * Thacker (1981), planar surface in a paraboloid (SWASHES 4.2.2): bed
 * z = -h0 (1 - r^2 / a^2) around the centre (xc, yc); the water surface stays a
 * plane rotating with period 2 pi / omega, omega = sqrt(2 g h0) / a; the wet
 * region is a disc of radius a centred at (xc + eta cos wt, yc + eta sin wt).
 */
export interface Thacker {
  a: number;
  h0: number;
  eta: number;
  xc: number;
  yc: number;
}

export function thackerOmega(p: Thacker): number {
  return Math.sqrt(2 * G * p.h0) / p.a;
}

export function thackerBed(p: Thacker, x: number, y: number): number {
  const r2 = (x - p.xc) ** 2 + (y - p.yc) ** 2;
  return -p.h0 * (1 - r2 / (p.a * p.a));
}

export function thackerDepth(p: Thacker, x: number, y: number, t: number): number {
  const w = thackerOmega(p);
  const X = x - p.xc;
  const Y = y - p.yc;
  const surface = ((p.eta * p.h0) / (p.a * p.a)) * (2 * X * Math.cos(w * t) + 2 * Y * Math.sin(w * t) - p.eta);
  return Math.max(0, surface - thackerBed(p, x, y));
}

export function thackerVelocity(p: Thacker, t: number): { u: number; v: number } {
  const w = thackerOmega(p);
  return { u: -p.eta * w * Math.sin(w * t), v: p.eta * w * Math.cos(w * t) };
}

/**
 * Kinematic-wave steady state of constant rain r on a plane of slope S and
 * Manning n, at distance x from the divide: unit discharge q = r x, depth
 * h = (n r x / sqrt(S))^(3/5).
 */
export function kinematicDepth(x: number, rain: number, n: number, slope: number): number {
  return Math.pow((n * rain * x) / Math.sqrt(slope), 0.6);
}

/** Least-squares slope of log(err) against log(dx): the observed order of convergence. */
export function observedOrder(dx: number[], err: number[]): number {
  const lx = dx.map(Math.log);
  const ly = err.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
