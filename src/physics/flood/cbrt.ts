/**
 * A fast cube root for the friction terms of the flood kernels (h^(7/3) =
 * h^2 cbrt(h)): within 3 ulp of Math.cbrt (measured max 2.6 ulp), about
 * three times faster in the kernels' loops. Math.cbrt is a call into C from
 * optimised code, which spills every live float register around it; this
 * one is plain arithmetic the JIT inlines into the loop.
 *
 * Method: y ~ x^(-1/3) from a table (x = 2^(3k + r) (1 + m): 2^(-k) times a
 * quadratic Taylor polynomial of (2^r (1 + m))^(-1/3) about the midpoint of
 * one of 256 intervals of m, relative error < 3e-9), one division-free
 * Newton step y <- y + y (1 - x y^3) / 3 (error -> 2 e^2 < 2e-17), then
 * cbrt(x) = x y^2. A pure function of x's bits, so every thread gets the same
 * result. Zero, subnormals, infinities and NaN go to Math.cbrt.
 *
 * WebAssembly: assembly/flood/cbrt.ts, the same steps on these tables
 * (exported for the loader to copy), so results are bit-identical.
 * WGSL: not needed there (the GPU port takes the cube root its own way); the
 * algorithm is unchanged, only the rounding of h^(1/3) differs in the last bits.
 */
const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
F[0] = 1;
/** Index of the word holding sign, exponent and the top 20 mantissa bits (1 on little-endian hosts). */
const HI = U[1] === 0x3ff00000 ? 1 : 0;

/** Per biased exponent e (x = 2^(e - 1023) (1 + m), e - 1023 = 3k + r): 2^(-k), and 256 r. */
export const SCALE = new Float64Array(2048);
export const R_OFFSET = new Int32Array(2048);
/** 256 / 2^(e - 1023): x times it is 256 (1 + m), exactly. */
export const UNSCALE = new Float64Array(2048);
for (let e = 1; e < 2047; e++) {
  const E = e - 1023;
  const k = Math.floor(E / 3);
  SCALE[e] = 2 ** -k;
  R_OFFSET[e] = (E - 3 * k) * 256;
  UNSCALE[e] = 2 ** (8 - E);
}
/**
 * Slot 256 r + i: Taylor coefficients of g(m) = (2^r (1 + m))^(-1/3) about the
 * midpoint m0 = (i + 1/2) / 256, in t = 256 (m - m0) in [-1/2, 1/2]:
 * g ~ C0 + t (C1 + t C2).
 */
export const C0 = new Float64Array(768);
export const C1 = new Float64Array(768);
export const C2 = new Float64Array(768);
for (let r = 0; r < 3; r++) {
  for (let i = 0; i < 256; i++) {
    const u = 1 + (i + 0.5) / 256;
    const g = (2 ** r * u) ** (-1 / 3);
    C0[r * 256 + i] = g;
    C1[r * 256 + i] = (-g / (3 * u)) / 256;
    C2[r * 256 + i] = ((2 * g) / (9 * u * u)) / (256 * 256);
  }
}
const THIRD = 1 / 3;

/** Cube root of x (within 3 ulp of Math.cbrt). */
export function cbrt(x: number): number {
  F[0] = x;
  const hi = HI === 1 ? U[1]! : 0;
  const e = hi >>> 20;
  if (e === 0 || e >= 2047) return Math.cbrt(x); // zero, subnormal, negative, inf, NaN (or a big-endian host)
  const i = (hi >>> 12) & 0xff; // the interval of m
  const s = R_OFFSET[e]! + i;
  const t = x * UNSCALE[e]! - (256.5 + i); // 256 (m - m0), exact
  let y = SCALE[e]! * (C0[s]! + t * (C1[s]! + t * C2[s]!));
  y = y + y * (1 - x * (y * y * y)) * THIRD;
  return x * (y * y);
}
