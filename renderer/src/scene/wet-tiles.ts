/**
 * Which terrain tiles hold any water to draw: a cell at or above the drawing
 * threshold within the tile's footprint (its cells, shared edges included).
 * A tile with none draws no water pixel at all (every pixel reads the depth
 * of the cells under it and discards below the threshold), so the water
 * layer skips it: on a GPU with few raster units (a compute card's) its
 * transparent second pass over the terrain's triangles is what costs.
 *
 * A frame is scanned a band of rows at a time, as it uploads
 * (StreamedCellTexture), so no drawn frame pays for the whole field. The
 * scan ORs the cells' bit patterns first: a non-negative float's bits order
 * as the number does, so an OR below the threshold's bits proves every cell
 * below it, at a third of the cost of comparing floats; only a tile's row
 * whose OR reaches it (water, or a sign or NaN bit) is compared cell by
 * cell, and a tile found wet is not read further.
 */
import type { Tile } from './terrain-tiles';

export class WetTiles {
  /** Per tile: 1 when a cell of the frame being scanned reaches the threshold. */
  private readonly found: Uint8Array;
  /** The answer for the last frame scanned to the end. */
  private readonly wet: Uint8Array;
  private readonly threshold: number;
  private readonly thresholdBits: number;

  /** @param nx the DEM's columns; `tiles` as the surface cut it (terrain-tiles.ts) */
  constructor(
    private readonly tiles: readonly Tile[],
    private readonly nx: number,
    threshold: number,
  ) {
    this.found = new Uint8Array(tiles.length);
    this.wet = new Uint8Array(tiles.length);
    // The shader compares in single precision: a cell of exactly fround(0.01) is drawn.
    this.threshold = Math.fround(threshold);
    this.thresholdBits = new Uint32Array(new Float32Array([threshold]).buffer)[0]!;
  }

  /**
   * Scans rows [from, to) of a frame (one value per cell, row 0 north); a
   * scan from row 0 starts a new frame. Rows are scanned in order.
   */
  scan(values: Float32Array, from: number, to: number): void {
    if (from === 0) this.found.fill(0);
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
    const { nx, found, threshold, thresholdBits } = this;
    for (const tile of this.tiles) {
      if (found[tile.index]) continue;
      const r0 = Math.max(from, tile.row0);
      const r1 = Math.min(to, tile.row0 + tile.spanZ + 1);
      const c0 = tile.col0;
      const c1 = tile.col0 + tile.spanX + 1;
      for (let r = r0; r < r1; r++) {
        const start = r * nx + c0;
        const end = r * nx + c1;
        if ((orBits(bits, start, end) >>> 0) >= thresholdBits && anyAtLeast(values, start, end, threshold)) {
          found[tile.index] = 1;
          break;
        }
      }
    }
  }

  /** Ends the frame scanned (every row scanned): its answer becomes the one isWet() gives. */
  commit(): void {
    this.wet.set(this.found);
  }

  /** Whether the tile holds water to draw in the last frame committed. */
  isWet(tile: number): boolean {
    return this.wet[tile] === 1;
  }
}

/** The OR of the bit patterns in [start, end); four lanes, as the loop is the cost. */
function orBits(bits: Int32Array, start: number, end: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = start;
  for (; k + 3 < end; k += 4) {
    a |= bits[k]!;
    b |= bits[k + 1]!;
    c |= bits[k + 2]!;
    d |= bits[k + 3]!;
  }
  for (; k < end; k++) a |= bits[k]!;
  return a | b | c | d;
}

function anyAtLeast(values: Float32Array, start: number, end: number, threshold: number): boolean {
  for (let k = start; k < end; k++) if (values[k]! >= threshold) return true;
  return false;
}
