/**
 * Tile levels' geometric error (level-error.ts) against analytic cases: a
 * plane is drawn exactly at every level; a sinusoid and a single-cell bump
 * stand off by what they should; nodata does not count; and on rough ground
 * the error is what the built level's own triangles leave (the same diagonal,
 * the same last row and column). Then the level choice on it: a narrow steep
 * ridge is refined before a plane, down to where its cells stand within the
 * target on screen, where the mean-slope estimate left it short.
 */
import { describe, expect, it } from 'vitest';
import { levelError, levelErrors } from '../../../renderer/src/scene/level-error';
import { MAX_ERROR_PX, selectLevels } from '../../../renderer/src/scene/lod-select';
import { tileOptions, tileRelief, type Box } from '../../../renderer/src/scene/screen-error';
import type { TerrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { buildTileLevel } from '../../../renderer/src/scene/terrain-tile-level';
import { strideOf, tileLayout } from '../../../renderer/src/scene/terrain-tiles';

const CELL = 10;

function grid(nx: number, ny: number, height: (i: number, j: number) => number): TerrainGrid {
  const heights = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) heights[j * nx + i] = height(i, j);
  let min = Infinity;
  let max = -Infinity;
  for (const h of heights) {
    if (h < min) min = h;
    if (h > max) max = h;
  }
  return { cols: nx, rows: ny, dx: CELL, dz: CELL, heights, min, max };
}

describe('levelErrors', () => {
  it('is 0 at every level of a plane, on whole tiles and on the short ones at the far edges', () => {
    const plane = grid(700, 300, (i, j) => 100 + 2 * i - 3 * j);
    for (const tile of tileLayout(plane.cols, plane.rows).tiles) {
      const errors = levelErrors(plane, tile);
      expect(errors).toHaveLength(tile.levels);
      for (const e of errors) expect(e).toBeCloseTo(0, 9);
    }
  });

  it('measures a sinusoid: 0, then what linear interpolation leaves, then its whole amplitude where the samples all fall on its zeros', () => {
    // Period 16 cells along x, constant along z: samples every 8 cells or more all read 0.
    const amplitude = 40;
    const wave = grid(257, 257, (i) => amplitude * Math.sin((Math.PI * i) / 8));
    const tile = tileLayout(257, 257).tiles[0]!;
    const errors = Array.from(levelErrors(wave, tile));
    // Stride 2: worst at cell 3, between samples sin(pi/4) and 1; stride 4: at cell 2, between 0 and 1.
    const expected = [0, Math.sin((3 * Math.PI) / 8) - (Math.SQRT1_2 + 1) / 2, Math.SQRT1_2 - 0.5, 1, 1, 1, 1, 1, 1].map((e) => e * amplitude);
    expect(errors).toHaveLength(expected.length);
    errors.forEach((e, level) => expect(e, `level ${level}`).toBeCloseTo(expected[level]!, 3));
  });

  it('measures a single-cell bump at its full height wherever a level skips it, on the last column too', () => {
    const bump = (ci: number, cj: number) => grid(600, 300, (i, j) => (i === ci && j === cj ? 500 + 25 : 500));
    // The east tile spans 87 cells: its last quads are narrower than the stride (84 to 87 at stride 4).
    const cases: [number, number][] = [
      [101, 77],
      [512 + 85, 33],
    ];
    for (const [ci, cj] of cases) {
      const g = bump(ci, cj);
      const { tiles } = tileLayout(g.cols, g.rows);
      const tile = tiles.find((t) => ci >= t.col0 && ci < t.col0 + t.spanX && cj >= t.row0 && cj < t.row0 + t.spanZ)!;
      const errors = levelErrors(g, tile);
      expect(errors[0]).toBe(0);
      for (let level = 1; level < tile.levels; level++) expect(errors[level], `level ${level}`).toBeCloseTo(25, 4);
      // Tiles elsewhere do not see it.
      expect(Math.max(...levelErrors(g, tiles.find((t) => t.col0 > ci || t.col0 + t.spanX < ci)!))).toBe(0);
    }
  });

  it('leaves nodata out: no surface to stand off', () => {
    const holed = grid(257, 257, (i, j) => ((i - 40) ** 2 + (j - 50) ** 2 < 200 ? NaN : 7 * i + j));
    const errors = levelErrors(holed, tileLayout(257, 257).tiles[0]!);
    for (const e of errors) expect(e).toBeCloseTo(0, 9);
  });

  it('is what the built level’s own triangles leave off the DEM', () => {
    const rough = grid(400, 300, (i, j) => {
      const hash = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
      return 200 + 60 * Math.sin(i / 9) * Math.cos(j / 13) + 25 * (hash - Math.floor(hash));
    });
    const e = 2;
    for (const tile of tileLayout(rough.cols, rough.rows).tiles) {
      for (const level of [1, 2, 5, tile.levels - 1]) {
        const data = buildTileLevel(rough, tile, level, { exaggeration: e, hillshade: false });
        // Every cell under each drawn triangle, by barycentric weights in cell units.
        const p = data.positions;
        const col = (v: number) => (p[3 * v]! + ((rough.cols - 1) * CELL) / 2) / CELL;
        const row = (v: number) => (p[3 * v + 2]! + ((rough.rows - 1) * CELL) / 2) / CELL;
        let worst = 0;
        for (let n = 0; n < data.surfaceIndexCount; n += 3) {
          const [a, b, c] = [data.index[n]!, data.index[n + 1]!, data.index[n + 2]!];
          const [xa, xb, xc, za, zb, zc] = [col(a), col(b), col(c), row(a), row(b), row(c)];
          const det = (zb - zc) * (xa - xc) + (xc - xb) * (za - zc);
          for (let j = Math.round(Math.min(za, zb, zc)); j <= Math.round(Math.max(za, zb, zc)); j++) {
            for (let i = Math.round(Math.min(xa, xb, xc)); i <= Math.round(Math.max(xa, xb, xc)); i++) {
              const wa = ((zb - zc) * (i - xc) + (xc - xb) * (j - zc)) / det;
              const wb = ((zc - za) * (i - xc) + (xa - xc) * (j - zc)) / det;
              const wc = 1 - wa - wb;
              if (wa < -1e-9 || wb < -1e-9 || wc < -1e-9) continue;
              const drawn = (wa * p[3 * a + 1]! + wb * p[3 * b + 1]! + wc * p[3 * c + 1]!) / e + rough.min;
              worst = Math.max(worst, Math.abs(rough.heights[j * rough.cols + i]! - drawn));
            }
          }
        }
        expect(levelError(rough, tile, strideOf(level)), `tile ${tile.index} level ${level}`).toBeCloseTo(worst, 3);
      }
    }
  });
});

describe('level choice on measured errors', () => {
  // Two tiles side by side, both 0-100 m high: a narrow ridge (crest on an odd column, 50 m per cell either side) and a plane.
  const g = grid(513, 257, (i) => (i <= 256 ? Math.max(0, 100 - 50 * Math.abs(i - 129)) : (100 * (i - 256)) / 256));
  const { tiles } = tileLayout(g.cols, g.rows);
  const x0 = -((g.cols - 1) * CELL) / 2;
  const z0 = -((g.rows - 1) * CELL) / 2;
  const boxes: Box[] = tiles.map((t) => ({ min: [x0 + t.col0 * CELL, 0, z0], max: [x0 + (t.col0 + t.spanX) * CELL, 100, z0 + t.spanZ * CELL] }));
  // High above both, so the nearest points of their boxes are as far: 10 m cells are 0.5 px apart.
  const view = { eye: [0, 20_100, 0] as const, pxPerUnit: 1000, near: 1, inView: () => true };
  const relief = tiles.map((t) => tileRelief(g, t));
  const choose = (errors: Float32Array[] | null) => {
    const options = tileOptions(tiles, relief, errors, boxes, CELL, 1, view);
    return selectLevels(options, 100_000, MAX_ERROR_PX);
  };
  const onScreen = (tile: number, level: number) => (levelError(g, tiles[tile]!, strideOf(level)) * view.pxPerUnit) / 20_000;

  it('refines the ridge before the plane, until its cells stand within the target on screen', () => {
    const [ridge, plane] = choose(tiles.map((t) => levelErrors(g, t)));
    expect(ridge).toBeLessThan(plane!);
    expect(onScreen(0, ridge!)).toBeLessThanOrEqual(MAX_ERROR_PX);
    // The plane only as far as its vertices' spacing asks: 4 px apart at most, 2 px at least.
    expect(levelErrors(g, tiles[1]!)[plane!]).toBeCloseTo(0, 3);
    expect(((strideOf(plane!) * CELL) / 20_000) * view.pxPerUnit).toBeLessThanOrEqual(2 * MAX_ERROR_PX);
    expect(((strideOf(plane! + 1) * CELL) / 20_000) * view.pxPerUnit).toBeGreaterThan(2 * MAX_ERROR_PX);
  });

  it('where the mean-slope estimate left the ridge standing off the target', () => {
    const [ridge] = choose(null);
    expect(onScreen(0, ridge!)).toBeGreaterThan(MAX_ERROR_PX);
  });
});
