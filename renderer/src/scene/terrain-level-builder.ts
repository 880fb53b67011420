/**
 * Builds terrain tile levels for TerrainSurface once its first frames are on
 * show: in a module worker where one can be made, so a moving camera never
 * waits for a build; else on the main thread within a time budget per frame
 * (Node, where the unit tests run; a worker that cannot be made, fails to
 * load or throws, whose requests are then asked again of the main thread).
 * Either way levels come back through `onBuilt`: from the worker's answers,
 * between frames, or during flush().
 *
 * The worker first measures every tile's geometric error per level
 * (level-error.ts, a few hundred milliseconds for millions of cells) and
 * hands them to `onErrors`; without a worker they are measured at once, on
 * the main thread, in the constructor or when the worker fails.
 */
import { isTileErrors, tileErrors, type LevelAnswer, type LevelMessage } from './terrain-level-messages';
import type { TerrainGrid } from './terrain-grid';
import { buildTileLevel, type SurfaceLook, type TileLevelData } from './terrain-tile-level';
import { levelKey, type Tile } from './terrain-tiles';

/**
 * Requests the worker holds at once. It builds them one by one, so more
 * would only be builds a moving camera no longer wants; fewer would leave it
 * idle while an answer travels back.
 */
export const MAX_IN_FLIGHT = 4;

/** What the builder uses of a Web Worker (typed here: Node, where the tests type-check, has no Worker). */
export interface LevelWorker {
  onmessage: ((event: { data: LevelAnswer }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  postMessage(message: LevelMessage): void;
  terminate(): void;
}

type LevelWorkerConstructor = new (url: URL, options: { type: 'module' }) => LevelWorker;

interface Request {
  tile: Tile;
  level: number;
  look: SurfaceLook;
}

export class TileLevelBuilder {
  private worker: LevelWorker | null = null;
  /** Levels asked of the worker and not answered yet (levelKey). */
  private readonly inFlight = new Set<number>();
  /** Requests for the main thread, built by the next flush(). */
  private queue: Request[] = [];
  private disposed = false;
  /** Whether onErrors has had the tiles' errors. */
  private measured = false;

  constructor(
    private readonly grid: TerrainGrid,
    private readonly tiles: readonly Tile[],
    private readonly onBuilt: (data: TileLevelData) => void,
    private readonly onErrors: (errors: Float32Array[]) => void,
  ) {
    try {
      this.worker = moduleWorker();
    } catch (error) {
      console.warn('Terrain levels are built on the main thread: no worker.', error);
    }
    if (!this.worker) {
      this.measure();
      return;
    }
    this.worker.onmessage = (event) => this.answer(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fallBack(event.message ?? 'it did not load');
    };
    this.worker.onmessageerror = () => this.fallBack('an answer could not be read');
    // Copied, not transferred: the main thread keeps its heights for picking and the fallback.
    this.worker.postMessage({ kind: 'grid', grid: this.grid, tiles: [...tiles] });
  }

  /** Requests it takes now: the worker's free places, or any number on the main thread. */
  get room(): number {
    return this.worker ? MAX_IN_FLIGHT - this.inFlight.size : Infinity;
  }

  /** Whether a level is asked of the worker and not answered yet. */
  has(tile: Tile, level: number): boolean {
    return this.inFlight.has(levelKey(tile, level));
  }

  request(tile: Tile, level: number, look: SurfaceLook): void {
    if (this.disposed) return;
    if (!this.worker) {
      this.queue.push({ tile, level, look });
      return;
    }
    this.inFlight.add(levelKey(tile, level));
    this.worker.postMessage({ kind: 'build', tile: tile.index, level, look });
  }

  /**
   * Builds the main thread's requests in order while `ms` lasts and drops
   * the rest: the next frame asks again for what it still
   * wants. Nothing to do while a worker builds them.
   */
  flush(ms: number): void {
    const queue = this.queue;
    this.queue = [];
    const deadline = performance.now() + ms;
    for (const { tile, level, look } of queue) {
      if (performance.now() >= deadline) break;
      this.onBuilt(buildTileLevel(this.grid, tile, level, look));
    }
  }

  /** Stops the worker; answers still on their way are ignored. */
  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    this.inFlight.clear();
    this.queue = [];
  }

  private answer(data: LevelAnswer): void {
    if (this.disposed) return;
    if (isTileErrors(data)) {
      this.measured = true;
      this.onErrors(data.errors);
      return;
    }
    this.inFlight.delete(levelKey(data.tile, data.level));
    // The worker's copy of the tile describes the same tile: hand back the surface's own.
    data.tile = this.tiles[data.tile.index]!;
    this.onBuilt(data);
  }

  private fallBack(reason: string): void {
    if (this.disposed || !this.worker) return;
    console.warn(`Terrain levels are built on the main thread: the worker failed (${reason}).`);
    this.worker.terminate();
    this.worker = null;
    this.inFlight.clear();
    this.measure();
  }

  /** Measures the tiles' errors on the main thread, unless the worker already did. */
  private measure(): void {
    if (this.measured) return;
    this.measured = true;
    this.onErrors(tileErrors(this.grid, this.tiles).errors);
  }
}

function moduleWorker(): LevelWorker | null {
  // Looked up on globalThis: Node has no Worker (the main thread builds there).
  const Worker = (globalThis as { Worker?: LevelWorkerConstructor }).Worker;
  if (!Worker) return null;
  return new Worker(new URL('./terrain-level.worker.ts', import.meta.url), { type: 'module' });
}
