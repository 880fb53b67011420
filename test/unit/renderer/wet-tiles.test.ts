/**
 * Which tiles the water is drawn on: the band-by-band scan must agree with
 * comparing every cell of every tile's footprint (shared edges included),
 * whatever the bands, for films just under the threshold, single wet cells
 * on a shared edge, negative values and NaN.
 */
import { describe, expect, it } from 'vitest';
import { WetTiles } from '../../../renderer/src/scene/wet-tiles';
import { tileLayout, type Tile } from '../../../renderer/src/scene/terrain-tiles';

const THRESHOLD = 0.01;
/** The water shader compares single-precision depths with a single-precision threshold. */
const DRAWN = Math.fround(THRESHOLD);

/** The answer by definition: a cell the shader draws (at or above the threshold) in the tile's footprint. */
function bruteForce(tiles: readonly Tile[], nx: number, values: Float32Array): boolean[] {
  return tiles.map((t) => {
    for (let r = t.row0; r <= t.row0 + t.spanZ; r++) for (let c = t.col0; c <= t.col0 + t.spanX; c++) if (values[r * nx + c]! >= DRAWN) return true;
    return false;
  });
}

function scanInBands(tiles: readonly Tile[], nx: number, ny: number, values: Float32Array, band: number): boolean[] {
  const wet = new WetTiles(tiles, nx, THRESHOLD);
  for (let row = 0; row < ny; row += band) wet.scan(values, row, Math.min(ny, row + band));
  wet.commit();
  return tiles.map((t) => wet.isWet(t.index));
}

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('WetTiles', () => {
  const nx = 301;
  const ny = 263;
  const { tiles } = tileLayout(nx, ny, 64);

  it('finds a single wet cell on a shared corner in all four tiles that share it, and nowhere else', () => {
    const values = new Float32Array(nx * ny);
    values[64 * nx + 128] = THRESHOLD;
    const expected = bruteForce(tiles, nx, values);
    expect(expected.filter(Boolean)).toHaveLength(4);
    for (const band of [1, 7, 64, ny]) expect(scanInBands(tiles, nx, ny, values, band)).toEqual(expected);
  });

  it('agrees with every cell compared, for films just under the threshold, negative values and NaN', () => {
    const next = random(7);
    for (let trial = 0; trial < 20; trial++) {
      const values = new Float32Array(nx * ny);
      for (let k = 0; k < values.length; k++) {
        const u = next();
        // Mostly films below the threshold (their bit patterns OR up past it), a few wet cells, some oddities.
        values[k] = u < 0.9 ? next() * THRESHOLD * 0.999 : u < 0.9 + 0.0004 * trial ? THRESHOLD + next() : u < 0.95 ? -next() : u < 0.96 ? NaN : 0;
      }
      const expected = bruteForce(tiles, nx, values);
      const band = 1 + Math.floor(next() * ny);
      expect(scanInBands(tiles, nx, ny, values, band), `trial ${trial}, bands of ${band} rows`).toEqual(expected);
    }
  });

  it('keeps the answer of the last frame committed while the next one is scanned', () => {
    const wet = new WetTiles(tiles, nx, THRESHOLD);
    const flooded = new Float32Array(nx * ny).fill(1);
    wet.scan(flooded, 0, ny);
    wet.commit();
    wet.scan(new Float32Array(nx * ny), 0, 100);
    expect(tiles.every((t) => wet.isWet(t.index))).toBe(true);
    wet.scan(new Float32Array(nx * ny), 100, ny);
    wet.commit();
    expect(tiles.some((t) => wet.isWet(t.index))).toBe(false);
  });
});
