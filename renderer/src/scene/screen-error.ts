/**
 * A tile level's screen-space error: how far apart its vertices appear on
 * screen, in pixels. The spacing is measured in 3D: the horizontal step
 * (stride x cell size) and the height step it spans on this tile's slopes,
 * times the vertical exaggeration, so steep exaggerated relief is refined
 * before flat ground at the same distance. Projected at the tile's nearest
 * point to the eye, it bounds the spacing anywhere on the tile.
 */
import type { TileOptions } from './lod-select';
import type { TerrainGrid } from './terrain-grid';
import { levelVertices, strideOf, type Tile } from './terrain-tiles';

export interface TileRelief {
  /** Lowest and highest DEM heights on the tile (m; NaN when it has no data). */
  min: number;
  max: number;
  /** Mean gradient magnitude over the tile's cells (m per m). */
  slope: number;
}

/** Heights and mean slope of a tile, from every full-resolution cell on it. */
export function tileRelief(grid: TerrainGrid, tile: Tile): TileRelief {
  const { heights, cols, dx, dz } = grid;
  let min = Infinity;
  let max = -Infinity;
  let slope = 0;
  let n = 0;
  for (let j = tile.row0; j <= tile.row0 + tile.spanZ; j++) {
    for (let i = tile.col0; i <= tile.col0 + tile.spanX; i++) {
      const k = j * cols + i;
      const h = heights[k]!;
      if (h !== h) continue;
      if (h < min) min = h;
      if (h > max) max = h;
      if (i < tile.col0 + tile.spanX && j < tile.row0 + tile.spanZ) {
        const gx = (heights[k + 1]! - h) / dx;
        const gz = (heights[k + cols]! - h) / dz;
        if (gx === gx && gz === gz) {
          slope += Math.sqrt(gx * gx + gz * gz);
          n++;
        }
      }
    }
  }
  return min <= max ? { min, max, slope: n ? slope / n : 0 } : { min: NaN, max: NaN, slope: 0 };
}

/** World distance between neighbouring vertices of a level at `stride` on a tile of this relief. */
export function worldSpacing(cell: number, stride: number, relief: TileRelief, exaggeration: number): number {
  const across = stride * cell;
  const rise = relief.max >= relief.min ? Math.min(relief.max - relief.min, across * relief.slope) : 0;
  const up = exaggeration * rise;
  return Math.sqrt(across * across + up * up);
}

/** An axis-aligned box in world units. */
export interface Box {
  min: readonly [number, number, number];
  max: readonly [number, number, number];
}

/** Distance from a point to the nearest point of a box (0 inside it). */
export function boxDistance(eye: readonly [number, number, number], box: Box): number {
  let sum = 0;
  for (let a = 0; a < 3; a++) {
    const d = Math.max(box.min[a]! - eye[a]!, 0, eye[a]! - box.max[a]!);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Pixels per world unit at unit distance for a perspective camera:
 * the drawing buffer's height over the view's height at distance 1.
 */
export function pixelsPerUnit(fovDeg: number, heightPx: number): number {
  return heightPx / (2 * Math.tan((fovDeg * Math.PI) / 360));
}

/** On-screen spacing (px) of vertices `spacing` apart seen from `distance` (never nearer than `near`). */
export function screenError(spacing: number, distance: number, pxPerUnit: number, near: number): number {
  return (spacing * pxPerUnit) / Math.max(distance, near);
}

/** The camera as the level choice sees it. */
export interface ViewInput {
  eye: readonly [number, number, number];
  /** pixelsPerUnit() of the camera and drawing buffer. */
  pxPerUnit: number;
  /** The camera's near plane: no tile is treated as nearer. */
  near: number;
  /** Whether a box is in the view (frustum test); tiles out of it need no detail. */
  inView(box: Box): boolean;
}

/**
 * Each tile's vertices and screen-space error per level for a view: the
 * input of selectLevels(). `boxes` are the tiles' world boxes, `cell` the
 * larger cell size (world units).
 */
export function tileOptions(
  tiles: readonly Tile[],
  relief: readonly TileRelief[],
  boxes: readonly Box[],
  cell: number,
  exaggeration: number,
  view: ViewInput,
): TileOptions[] {
  return tiles.map((tile, i) => {
    const r = relief[i]!;
    const visible = r.min === r.min && view.inView(boxes[i]!);
    const distance = boxDistance(view.eye, boxes[i]!);
    const vertices: number[] = [];
    const errors: number[] = [];
    for (let l = 0; l < tile.levels; l++) {
      vertices.push(levelVertices(tile, l));
      errors.push(visible ? screenError(worldSpacing(cell, strideOf(l), r, exaggeration), distance, view.pxPerUnit, view.near) : 0);
    }
    return { vertices, errors };
  });
}
