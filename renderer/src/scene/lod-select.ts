/**
 * Which level each terrain tile is drawn at: the budgeted choice, as a pure
 * function of each tile's vertex count and screen-space error per level.
 *
 * Every tile starts at its coarsest level and the tile with the largest
 * error is refined one level at a time, until no visible tile's error exceeds the target or the next
 * refinement would overrun the budget. Refining largest-error-first keeps
 * nearer tiles at least as fine as farther ones of the same size, and the
 * first refinement that does not fit ends the loop, so a cheap far tile
 * never overtakes a dear near one.
 *
 * Sites small enough to fit the budget at stride 1 are chosen for the same
 * way: drawing them whole would cost the GPU for detail under a pixel (a
 * 1024 x 1024 site at stride 1 with its water took 10.3 ms a frame of an
 * H100's raster time, and held 54 fps; test/bench/gpu_run.py).
 */

/**
 * Vertices drawn for the terrain at most: any DEM up to 1024 x 1024 (1.05 M
 * vertices, plus skirts and walls) fits whole, when the camera is close
 * enough to want it, and it is about what the view drew before level of
 * detail (one 1024^2 mesh): interactive on integrated GPUs with the water and
 * an overlay on the same tiles (three times the vertex work), and about 90 MB
 * of vertex and index buffers.
 */
export const VERTEX_BUDGET = 1_500_000;

/**
 * Screen-space error, in device pixels, that needs no finer level: how far
 * on screen a level may draw the DEM's cells off where they are (and a
 * multiple of it, how far apart its vertices may stand: screen-error.ts).
 * 2, as Cesium's terrain (its default maximumScreenSpaceError).
 */
export const MAX_ERROR_PX = 2;

export interface TileOptions {
  /** Vertices drawn at each level (level 0 = stride 1, the finest). */
  vertices: readonly number[];
  /** Screen-space error at each level in pixels (0 for a tile out of view). */
  errors: readonly number[];
}

/** Levels per tile (index into its options), the coarsest allowed being its last. */
export function selectLevels(tiles: readonly TileOptions[], budget = VERTEX_BUDGET, maxError = MAX_ERROR_PX): number[] {
  const levels = tiles.map((t) => t.vertices.length - 1);
  let total = 0;
  for (let i = 0; i < tiles.length; i++) total += tiles[i]!.vertices[levels[i]!]!;
  const heap = new ErrorHeap((i) => tiles[i]!.errors[levels[i]!]!);
  for (let i = 0; i < tiles.length; i++) if (levels[i]! > 0) heap.push(i);
  while (heap.size > 0) {
    const i = heap.pop();
    const tile = tiles[i]!;
    const level = levels[i]!;
    if (!(tile.errors[level]! > maxError)) break;
    const cost = tile.vertices[level - 1]! - tile.vertices[level]!;
    if (total + cost > budget) break;
    total += cost;
    levels[i] = level - 1;
    if (level - 1 > 0) heap.push(i);
  }
  return levels;
}

/** Vertices drawn for a choice of levels. */
export function drawnVertices(tiles: readonly TileOptions[], levels: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < tiles.length; i++) total += tiles[i]!.vertices[levels[i]!]!;
  return total;
}

/** A max-heap of tile indices by current error; ties go to the lower index, so the choice is deterministic. */
class ErrorHeap {
  private readonly items: number[] = [];

  constructor(private readonly error: (tile: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(tile: number): void {
    const items = this.items;
    items.push(tile);
    let k = items.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(items[k]!, items[parent]!)) break;
      [items[k], items[parent]] = [items[parent]!, items[k]!];
      k = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let best = k;
        if (l < items.length && this.before(items[l]!, items[best]!)) best = l;
        if (r < items.length && this.before(items[r]!, items[best]!)) best = r;
        if (best === k) break;
        [items[k], items[best]] = [items[best]!, items[k]!];
        k = best;
      }
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const ea = this.error(a);
    const eb = this.error(b);
    return ea > eb || (ea === eb && a < b);
  }
}
