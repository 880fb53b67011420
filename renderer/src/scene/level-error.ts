/**
 * A tile level's geometric error, as quantized-mesh terrain measures it: the
 * largest height difference (m) between a full-resolution DEM cell on the
 * tile and the level's surface straight above or below it, that surface
 * being the level's triangles over its samples (terrain-tile-level.ts:
 * vertices at axisOffsets, each quad split along its north-east to
 * south-west diagonal). A ridge crest or a pit that a level skips shows here
 * at its full height, where a mean slope would average it away.
 *
 * Exact, so every cell is visited once per level: O(cells x levels), 170 to
 * 240 ms for a 2048 x 2048 DEM (64 tiles, 8 levels each) on one core of the
 * development machine, against 30 ms for the mean slope. Too slow for the
 * main thread at site open, so the level worker measures it
 * (terrain-level-builder.ts) and the mean-slope estimate stands in until then.
 */
import type { TerrainGrid } from './terrain-grid';
import { axisOffsets, strideOf, type Tile } from './terrain-tiles';

/**
 * Geometric error (m) of each level of a tile, finest first (level 0, the
 * DEM itself, is 0). Cells that are nodata, or under a triangle the level
 * does not draw (one with a nodata corner), do not count: there is no
 * surface to stand off.
 */
export function levelErrors(grid: TerrainGrid, tile: Tile): Float32Array {
  const errors = new Float32Array(tile.levels);
  for (let level = 1; level < tile.levels; level++) errors[level] = levelError(grid, tile, strideOf(level));
  return errors;
}

/** Geometric error (m) of the level of a tile at one stride. */
export function levelError(grid: TerrainGrid, tile: Tile, stride: number): number {
  const { heights, cols } = grid;
  const xs = axisOffsets(tile.spanX, stride);
  const zs = axisOffsets(tile.spanZ, stride);
  const base = tile.row0 * cols + tile.col0;
  let worst = 0;
  for (let v = 0; v < zs.length - 1; v++) {
    const r0 = zs[v]!;
    const r1 = zs[v + 1]!;
    // Each quad takes its north and west edges; the last row and column of quads take their far edges too.
    const rEnd = v === zs.length - 2 ? r1 : r1 - 1;
    for (let u = 0; u < xs.length - 1; u++) {
      const c0 = xs[u]!;
      const c1 = xs[u + 1]!;
      const cEnd = u === xs.length - 2 ? c1 : c1 - 1;
      const a = heights[base + r0 * cols + c0]!;
      const b = heights[base + r0 * cols + c1]!;
      const c = heights[base + r1 * cols + c0]!;
      const d = heights[base + r1 * cols + c1]!;
      // Triangles a-c-b (north-west of the diagonal) and b-c-d (south-east); NaN: not drawn.
      const north = a === a && b === b && c === c;
      const south = b === b && c === c && d === d;
      if (!north && !south) continue;
      const du = 1 / (c1 - c0);
      const dv = 1 / (r1 - r0);
      for (let r = r0; r <= rEnd; r++) {
        const t = (r - r0) * dv;
        const row = base + r * cols;
        for (let q = c0; q <= cEnd; q++) {
          const h = heights[row + q]!;
          const s = (q - c0) * du;
          let drawn: number;
          if (s + t <= 1) {
            if (!north) continue;
            drawn = a + s * (b - a) + t * (c - a);
          } else {
            if (!south) continue;
            drawn = d + (1 - s) * (c - d) + (1 - t) * (b - d);
          }
          const off = h > drawn ? h - drawn : drawn - h;
          if (off > worst) worst = off;
        }
      }
    }
  }
  return worst;
}
