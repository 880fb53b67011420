/**
 * How the terrain surface is cut into tiles for level of detail: square
 * blocks of {@link TILE_CELLS} cells a side that share their edge vertices,
 * each drawn at one of the strides 1, 2, 4, ... (level l samples every 2^l-th
 * DEM cell, plus the tile's last row and column, so neighbours always meet at
 * the tile corners). Pure functions: sizes and counts, no buffers.
 */

/**
 * Cells a tile spans. 256 keeps a 4 M-cell site at 64 tiles (a few hundred
 * draw calls with the layers on it) while a zoomed-in corner can still be
 * refined without refining half the site.
 */
export const TILE_CELLS = 256;

export interface Tile {
  index: number;
  /** First DEM column and row (the tile's north-west vertex). */
  col0: number;
  row0: number;
  /** Cells spanned along x and z: the tile has span + 1 vertices a side at stride 1. */
  spanX: number;
  spanZ: number;
  /** Neighbours on each side (false: the terrain's border, where the walls stand). */
  north: boolean;
  south: boolean;
  west: boolean;
  east: boolean;
  /** Levels: strides 1 .. 2^(levels - 1); the coarsest is 2 x 2 vertices. */
  levels: number;
}

/** Tiles covering an nx x ny DEM, row-major from the north-west. */
export function tileLayout(nx: number, ny: number, size = TILE_CELLS): { tiles: Tile[]; tilesX: number; tilesZ: number } {
  const tilesX = Math.max(1, Math.ceil((nx - 1) / size));
  const tilesZ = Math.max(1, Math.ceil((ny - 1) / size));
  const tiles: Tile[] = [];
  for (let tz = 0; tz < tilesZ; tz++) {
    for (let tx = 0; tx < tilesX; tx++) {
      const col0 = tx * size;
      const row0 = tz * size;
      const spanX = Math.min(size, nx - 1 - col0);
      const spanZ = Math.min(size, ny - 1 - row0);
      tiles.push({
        index: tiles.length,
        col0,
        row0,
        spanX: Math.max(0, spanX),
        spanZ: Math.max(0, spanZ),
        north: tz > 0,
        south: tz < tilesZ - 1,
        west: tx > 0,
        east: tx < tilesX - 1,
        levels: levelCount(Math.max(spanX, spanZ)),
      });
    }
  }
  return { tiles, tilesX, tilesZ };
}

/** Levels of a tile spanning `span` cells: down to one quad a side. */
export function levelCount(span: number): number {
  return span <= 1 ? 1 : Math.ceil(Math.log2(span)) + 1;
}

export function strideOf(level: number): number {
  return 2 ** level;
}

/** One number naming a tile's level, for caches and requests (levels < 32). */
export function levelKey(tile: Tile, level: number): number {
  return tile.index * 32 + level;
}

/** Vertex offsets along one axis of a tile at a stride: 0, s, 2s, ... and always the span itself. */
export function axisOffsets(span: number, stride: number): number[] {
  const offsets: number[] = [];
  for (let o = 0; o < span; o += stride) offsets.push(o);
  offsets.push(span);
  return offsets;
}

/** Vertices along one axis at a stride (axisOffsets(span, stride).length). */
export function axisCount(span: number, stride: number): number {
  return Math.ceil(span / stride) + 1;
}

/**
 * Vertices a tile level holds: its surface grid, one more vertex under each
 * edge vertex where a neighbour is (the skirt), two more at each edge vertex
 * on the border (the wall's top and foot).
 */
export function levelVertices(tile: Tile, level: number): number {
  const stride = strideOf(level);
  const nu = axisCount(tile.spanX, stride);
  const nv = axisCount(tile.spanZ, stride);
  // A skirt: a vertex under each edge vertex. The border: a wall segment (four vertices) per edge segment where
  // there is data; nodata inside the tile adds or removes some (terrain-tile-level.ts), so this is the count without.
  const side = (inside: boolean, n: number) => (inside ? n : 4 * (n - 1));
  return nu * nv + side(tile.north, nu) + side(tile.south, nu) + side(tile.west, nv) + side(tile.east, nv);
}

/** Surface triangles of a tile level without nodata (skirts and walls not counted). */
export function levelTriangles(tile: Tile, level: number): number {
  const stride = strideOf(level);
  return 2 * (axisCount(tile.spanX, stride) - 1) * (axisCount(tile.spanZ, stride) - 1);
}
