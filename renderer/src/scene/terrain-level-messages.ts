/**
 * What the terrain's level worker (terrain-level.worker.ts) is told and
 * answers, and its message handler as a plain function, so Node tests run
 * the very code the worker runs. The grid comes once (its heights copied:
 * the main thread keeps its own for picking); each build request names a
 * tile by index, and the answer is buildTileLevel's output with its typed
 * arrays transferred, not copied.
 */
import type { TerrainGrid } from './terrain-grid';
import { buildTileLevel, type SurfaceLook, type TileLevelData } from './terrain-tile-level';
import type { Tile } from './terrain-tiles';

export type LevelMessage =
  | { kind: 'grid'; grid: TerrainGrid; tiles: Tile[] }
  | { kind: 'build'; tile: number; level: number; look: SurfaceLook };

/** The worker's state and handler: a build answers with the level, the grid with nothing. */
export function levelMessageHandler(): (message: LevelMessage) => TileLevelData | null {
  let grid: TerrainGrid | null = null;
  let tiles: Tile[] = [];
  return (message) => {
    if (message.kind === 'grid') {
      ({ grid, tiles } = message);
      return null;
    }
    const tile = tiles[message.tile];
    if (!grid || !tile) throw new Error(`terrain level worker: no tile ${message.tile} (grid not sent?)`);
    return buildTileLevel(grid, tile, message.level, message.look);
  };
}

/** The buffers of a level, to transfer with it (each array owns its buffer). */
export function levelBuffers(data: TileLevelData): ArrayBuffer[] {
  return [data.positions, data.normals, data.colors, data.index].map((array) => array.buffer as ArrayBuffer);
}
