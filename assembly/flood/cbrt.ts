/**
 * The cube root of ../../src/physics/flood/cbrt.ts, step for step, reading
 * the same tables (copied into linear memory by the loader, so no table entry
 * depends on this runtime's pow): bit-identical results.
 */
let scale: usize = 0;
let unscale: usize = 0;
let rOffset: usize = 0;
let c0: usize = 0;
let c1: usize = 0;
let c2: usize = 0;

/** Table addresses: SCALE, UNSCALE (2048 f64), R_OFFSET (2048 i32), C0, C1, C2 (768 f64). */
export function setCbrtTables(s: usize, u: usize, r: usize, a: usize, b: usize, c: usize): void {
  scale = s;
  unscale = u;
  rOffset = r;
  c0 = a;
  c1 = b;
  c2 = c;
}

const THIRD: f64 = 1.0 / 3.0;

// @ts-ignore: decorator
@inline
export function cbrt(x: f64): f64 {
  const hi = <u32>(reinterpret<u64>(x) >> 32);
  const e = hi >>> 20;
  if (e == 0 || e >= 2047) return Math.cbrt(x);
  const i = (hi >>> 12) & 0xff;
  const s = <usize>(load<i32>(rOffset + (<usize>e << 2)) + <i32>i) << 3;
  const t = x * load<f64>(unscale + (<usize>e << 3)) - (256.5 + <f64>i);
  let y = load<f64>(scale + (<usize>e << 3)) * (load<f64>(c0 + s) + t * (load<f64>(c1 + s) + t * load<f64>(c2 + s)));
  y = y + y * (1 - x * (y * y * y)) * THIRD;
  return x * (y * y);
}
