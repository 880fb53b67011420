/**
 * A tile level's screen-space error in pixels, projected at the tile's
 * nearest point to the eye, so it bounds the error anywhere on the tile
 * (near the picture's edges the perspective stretches it by up to a fifth).
 *
 * Measured: the level's geometric error (level-error.ts: how far, at most,
 * a DEM cell stands off the level's surface) times the vertical
 * exaggeration, so a level whose error is within the target draws every
 * cell within that many pixels of where it is, steep ridges included.
 * Geometry alone would leave a plane at its coarsest level, rightly, but
 * not gently rolling ground: its heights stand off little (the error falls
 * with the square of the vertex spacing) while its hillshade changes from
 * cell to cell, and the shading, a colour per vertex, is smeared over
 * whatever the vertices span on screen. So the horizontal spacing counts too,
 * at SPACING_PER_ERROR times the tolerance: vertex colours at most 4 px
 * apart at the 2 px target, as sharp as a hillshade texture two mipmap
 * levels down (normals, and so the light, come from the full-resolution
 * DEM at every level; the water reads its depth per pixel).
 *
 * Estimated, until the errors are measured (a worker does it at site open):
 * the 3D spacing of the level's vertices on the tile's mean slope, which
 * under-refines ridges steeper than the mean.
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

/**
 * How many times the target error a level's horizontal vertex spacing may
 * span on screen, where the measured error decides: see above.
 */
export const SPACING_PER_ERROR = 2;

/** World distance between neighbouring vertices of a level at `stride` on a tile of this relief (the estimate). */
export function worldSpacing(cell: number, stride: number, relief: TileRelief, exaggeration: number): number {
  const across = stride * cell;
  const rise = relief.max >= relief.min ? Math.min(relief.max - relief.min, across * relief.slope) : 0;
  const up = exaggeration * rise;
  return Math.sqrt(across * across + up * up);
}

/**
 * World size of a measured level's error: its geometric error `deviation`
 * (m) exaggerated, or its horizontal vertex spacing over SPACING_PER_ERROR,
 * whichever is larger.
 */
export function worldError(cell: number, stride: number, deviation: number, exaggeration: number): number {
  return Math.max(deviation * exaggeration, (stride * cell) / SPACING_PER_ERROR);
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
 * input of selectLevels(). `errors` are the tiles' geometric errors per
 * level (m; null until measured: the relief's estimate stands in), `boxes`
 * their world boxes, `cell` the larger cell size (world units).
 */
export function tileOptions(
  tiles: readonly Tile[],
  relief: readonly TileRelief[],
  errors: readonly ArrayLike<number>[] | null,
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
    const screen: number[] = [];
    const measured = errors?.[i];
    for (let l = 0; l < tile.levels; l++) {
      const stride = strideOf(l);
      const world = measured ? worldError(cell, stride, measured[l]!, exaggeration) : worldSpacing(cell, stride, r, exaggeration);
      vertices.push(levelVertices(tile, l));
      screen.push(visible ? screenError(world, distance, view.pxPerUnit, view.near) : 0);
    }
    return { vertices, errors: screen };
  });
}
