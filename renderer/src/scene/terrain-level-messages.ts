/**
 * What the terrain's level worker (terrain-level.worker.ts) is told and
 * answers, and its message handler as a plain function, so Node tests run
 * the very code the worker runs. The grid comes once (its heights copied:
 * the main thread keeps its own for picking) and is answered with every
 * tile's geometric error per level (level-error.ts: too slow for the main
 * thread at site open); each build request names a tile by index, and the
 * answer is buildTileLevel's output. Answers' typed arrays are transferred,
 * not copied.
 */
import { levelErrors } from './level-error';
import type { TerrainGrid } from './terrain-grid';
import { buildTileLevel, type SurfaceLook, type TileLevelData } from './terrain-tile-level';
import type { Tile } from './terrain-tiles';

export type LevelMessage =
  | { kind: 'grid'; grid: TerrainGrid; tiles: Tile[] }
  | { kind: 'build'; tile: number; level: number; look: SurfaceLook };

/** The tiles' geometric errors (m), by tile index, each per level (levelErrors()). */
export interface TileErrors {
  kind: 'errors';
  errors: Float32Array[];
}

export type LevelAnswer = TileLevelData | TileErrors;

export function isTileErrors(answer: LevelAnswer): answer is TileErrors {
  return (answer as TileErrors).kind === 'errors';
}

/** Every tile's geometric error per level. */
export function tileErrors(grid: TerrainGrid, tiles: readonly Tile[]): TileErrors {
  return { kind: 'errors', errors: tiles.map((tile) => levelErrors(grid, tile)) };
}

/** The worker's state and handler: the grid answers with its tiles' errors, a build with the level. */
export function levelMessageHandler(): (message: LevelMessage) => LevelAnswer {
  let grid: TerrainGrid | null = null;
  let tiles: Tile[] = [];
  return (message) => {
    if (message.kind === 'grid') {
      ({ grid, tiles } = message);
      return tileErrors(grid, tiles);
    }
    const tile = tiles[message.tile];
    if (!grid || !tile) throw new Error(`terrain level worker: no tile ${message.tile} (grid not sent?)`);
    return buildTileLevel(grid, tile, message.level, message.look);
  };
}

/** The buffers of an answer, to transfer with it (each array owns its buffer). */
export function levelBuffers(answer: LevelAnswer): ArrayBuffer[] {
  const arrays = isTileErrors(answer) ? answer.errors : [answer.positions, answer.normals, answer.colors, answer.index];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
