/**
 * Terrain levels built off the main thread: the worker's message handler
 * answers the grid with the tiles' geometric errors and a build with what
 * buildTileLevel builds, their buffers transferred; the builder
 * keeps a few requests in flight, ignores answers after dispose and falls
 * back to the main thread where no worker can be had (measuring the errors
 * there); a surface with a worker chooses its levels again once the errors
 * come, shows each level as it arrives, drops those built for a look since
 * changed, and ends where a surface building on the main thread ends.
 * Node has no Worker: a fake one runs the real handler, on the messages
 * cloned (and the answers' buffers transferred) as a browser would.
 */
import { PerspectiveCamera, Vector3, type BufferAttribute, type Mesh } from 'three';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { terrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { MAX_IN_FLIGHT, TileLevelBuilder, type LevelWorker } from '../../../renderer/src/scene/terrain-level-builder';
import { levelBuffers, levelMessageHandler, tileErrors, type LevelMessage } from '../../../renderer/src/scene/terrain-level-messages';
import { buildTileLevel, type TileLevelData } from '../../../renderer/src/scene/terrain-tile-level';
import { tileLayout } from '../../../renderer/src/scene/terrain-tiles';
import { TerrainSurface } from '../../../renderer/src/scene/TerrainSurface';
import { testSite } from './test-site';

/** Stands in for the module worker: runs the real handler when told to. */
class FakeWorker implements LevelWorker {
  static made: FakeWorker[] = [];
  onmessage: LevelWorker['onmessage'] = null;
  onerror: LevelWorker['onerror'] = null;
  onmessageerror: LevelWorker['onmessageerror'] = null;
  terminated = false;
  /** Messages received and not handled yet. */
  readonly inbox: LevelMessage[] = [];
  private readonly handle = levelMessageHandler();

  constructor(
    readonly url: URL,
    readonly options: { type: string },
  ) {
    FakeWorker.made.push(this);
  }

  get builds(): number {
    return this.inbox.filter((m) => m.kind === 'build').length;
  }

  postMessage(message: LevelMessage): void {
    this.inbox.push(structuredClone(message));
  }

  /** Handles the oldest `n` build requests (and any grid before them: its answer, the errors, does not count), answering each with its buffers transferred. */
  answer(n = Infinity): void {
    while (this.inbox.length > 0 && (n > 0 || this.inbox[0]!.kind === 'grid')) {
      const message = this.inbox.shift()!;
      if (message.kind === 'build') n--;
      const data = this.handle(message);
      this.onmessage?.({ data: structuredClone(data, { transfer: levelBuffers(data) }) });
    }
  }

  fail(): void {
    this.onerror?.({ message: 'boom', preventDefault: () => {} });
  }

  terminate(): void {
    this.terminated = true;
  }
}

function useFakeWorker(): void {
  FakeWorker.made = [];
  vi.stubGlobal('Worker', FakeWorker);
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const look = { exaggeration: 3, hillshade: true };

/** Levels alike, their buffers compared byte for byte (toEqual is slow on large typed arrays). */
function expectSameLevel(actual: TileLevelData, expected: TileLevelData, what = ''): void {
  const arrays = ['positions', 'normals', 'colors', 'index'] as const;
  for (const name of arrays) {
    const [a, b] = [actual[name], expected[name]];
    expect(a.constructor, `${what} ${name}`).toBe(b.constructor);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), `${what} ${name}`).toBe(true);
  }
  const rest = (d: TileLevelData) => ({ ...d, positions: null, normals: null, colors: null, index: null });
  expect(rest(actual), what).toEqual(rest(expected));
}

describe('the level worker’s message handler', () => {
  it('answers a build with what buildTileLevel builds, its buffers transferred, not copied', () => {
    const grid = terrainGrid(testSite(700, 520, true));
    const { tiles } = tileLayout(grid.cols, grid.rows);
    const handle = levelMessageHandler();
    const errors = handle(structuredClone({ kind: 'grid', grid, tiles } satisfies LevelMessage));
    expect(errors).toEqual(tileErrors(grid, tiles));
    const errorBuffers = levelBuffers(errors);
    structuredClone(errors, { transfer: errorBuffers });
    expect(errorBuffers).toHaveLength(tiles.length);
    expect(errorBuffers.every((b) => b.byteLength === 0), 'errors transferred').toBe(true);
    // Corner, edge and inner tiles; every level of one, and another look.
    const cases = [
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((level) => ({ tile: 4, level, look })),
      { tile: 0, level: 0, look },
      { tile: 2, level: 1, look: { exaggeration: 1, hillshade: false } },
      { tile: tiles.length - 1, level: 2, look },
    ];
    for (const { tile, level, look: l } of cases) {
      const data = handle(structuredClone({ kind: 'build', tile, level, look: l } satisfies LevelMessage)) as TileLevelData;
      const expected = buildTileLevel(grid, tiles[tile]!, level, l);
      const buffers = levelBuffers(data);
      const moved = structuredClone(data, { transfer: buffers });
      expect(buffers.every((b) => b.byteLength === 0), `tile ${tile} level ${level}: transferred`).toBe(true);
      expectSameLevel(moved, expected, `tile ${tile} level ${level}`);
    }
  });

  it('refuses a build before the grid', () => {
    expect(() => levelMessageHandler()({ kind: 'build', tile: 0, level: 0, look })).toThrow(/grid/);
  });
});

describe('TileLevelBuilder', () => {
  const grid = terrainGrid(testSite(700, 520, true));
  const { tiles } = tileLayout(grid.cols, grid.rows);
  /** A builder over the test grid that records the levels and errors it hands back. */
  const recordingBuilder = (built: TileLevelData[], measured: Float32Array[][]) =>
    new TileLevelBuilder(
      grid,
      tiles,
      (data) => built.push(data),
      (errors) => measured.push(errors),
    );

  it('keeps at most MAX_IN_FLIGHT requests in the worker, hands back the surface’s own tiles, and ignores answers after dispose', () => {
    useFakeWorker();
    const built: TileLevelData[] = [];
    const measured: Float32Array[][] = [];
    const builder = recordingBuilder(built, measured);
    const worker = FakeWorker.made[0]!;
    expect(worker.options).toEqual({ type: 'module' });
    expect(worker.url.href).toContain('terrain-level.worker');
    expect(worker.inbox[0]).toMatchObject({ kind: 'grid', grid: { cols: 700, rows: 520 } });
    expect(builder.room).toBe(MAX_IN_FLIGHT);
    for (let t = 0; t < MAX_IN_FLIGHT; t++) builder.request(tiles[t]!, 1, look);
    expect(builder.room).toBe(0);
    expect(builder.has(tiles[0]!, 1) && !builder.has(tiles[0]!, 2)).toBe(true);
    // Nothing is built on the main thread while a worker builds.
    builder.flush(Infinity);
    expect(built).toHaveLength(0);

    expect(measured).toHaveLength(0);
    worker.answer(2);
    expect(measured).toEqual([tileErrors(grid, tiles).errors]);
    expect(built.map((d) => d.tile)).toEqual([tiles[0], tiles[1]]);
    expect(built[0]!.tile).toBe(tiles[0]);
    expectSameLevel(built[1]!, buildTileLevel(grid, tiles[1]!, 1, look));
    expect(builder.room).toBe(MAX_IN_FLIGHT - 2);
    expect(builder.has(tiles[0]!, 1)).toBe(false);

    builder.dispose();
    expect(worker.terminated).toBe(true);
    worker.answer();
    builder.request(tiles[5]!, 0, look);
    expect(built).toHaveLength(2);
    expect(worker.builds).toBe(0);
  });

  it('builds on the main thread, in order, while the time given lasts, where no worker can be had', () => {
    const built: TileLevelData[] = [];
    const measured: Float32Array[][] = [];
    const builder = recordingBuilder(built, measured);
    // The errors at once.
    expect(measured).toEqual([tileErrors(grid, tiles).errors]);
    expect(builder.room).toBe(Infinity);
    builder.request(tiles[3]!, 2, look);
    builder.request(tiles[1]!, 0, look);
    expect(built).toHaveLength(0);
    builder.flush(Infinity);
    expect(built.map((d) => [d.tile.index, d.level])).toEqual([[3, 2], [1, 0]]);
    expectSameLevel(built[1]!, buildTileLevel(grid, tiles[1]!, 0, look));
    // Requests the time did not cover are dropped: the next frame asks again.
    builder.request(tiles[0]!, 0, look);
    builder.flush(0);
    builder.flush(Infinity);
    expect(built).toHaveLength(2);
    builder.dispose();
  });

  it('falls back to the main thread when the worker cannot be made or fails', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal(
      'Worker',
      class {
        constructor() {
          throw new Error('SecurityError');
        }
      },
    );
    const built: TileLevelData[] = [];
    const measured: Float32Array[][] = [];
    const unmade = recordingBuilder(built, measured);
    expect(unmade.room).toBe(Infinity);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(measured).toHaveLength(1);

    useFakeWorker();
    const builder = recordingBuilder(built, measured);
    const worker = FakeWorker.made[0]!;
    builder.request(tiles[0]!, 1, look);
    builder.request(tiles[1]!, 1, look);
    worker.fail();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(worker.terminated).toBe(true);
    // The errors the worker never sent, measured on the main thread.
    expect(measured).toHaveLength(2);
    // The requests lost with the worker are asked again, and built on the main thread.
    expect(builder.has(tiles[0]!, 1)).toBe(false);
    expect(builder.room).toBe(Infinity);
    builder.request(tiles[0]!, 1, look);
    builder.flush(Infinity);
    expect(built.map((d) => [d.tile.index, d.level])).toEqual([[0, 1]]);
    builder.dispose();
  });
});

describe('TerrainSurface with a worker', () => {
  const camera = (eye: Vector3, target: Vector3) => {
    const c = new PerspectiveCamera(38, 1.5, 10, 1e6);
    c.position.copy(eye);
    c.lookAt(target);
    c.updateMatrixWorld();
    return c;
  };
  /** The terrain's vertex positions on show, tile by tile, as bytes. */
  const positions = (surface: TerrainSurface) =>
    (surface.mesh.children as Mesh[]).map((m) => {
      const a = (m.geometry.attributes.position as BufferAttribute).array as Float32Array;
      return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    });

  it('builds the first frames at once, then asks the worker, shows levels as they come, drops those of an old look, and stops on dispose', () => {
    useFakeWorker();
    const data = testSite(2305, 2049, true);
    const surface = new TerrainSurface(data, { exaggeration: 3, hillshade: true });
    const worker = FakeWorker.made[0]!;
    const { x0, z0 } = surface.frame;
    const north = camera(new Vector3(x0 + 1500, 2500, z0 + 1500), new Vector3(x0 + 6000, 0, z0 + 6000));
    const south = camera(new Vector3(-x0 - 1500, 2500, -z0 - 1500), new Vector3(-x0 - 6000, 0, -z0 - 6000));
    surface.update(north, 800, Infinity);
    // The first frames are complete, on levels chosen by the estimate while the worker measures the errors.
    expect(surface.pending).toBe(1);
    expect(worker.builds).toBe(0);
    worker.answer(0);
    expect(surface.pending).toBe(0);
    surface.update(north, 800, Infinity);
    expect(surface.pending).toBe(0);

    // A new view: the worker gets the most visible levels, a few at a time; the tiles wait at coarser levels.
    surface.update(south, 800);
    const waiting = surface.pending;
    expect(waiting).toBeGreaterThan(MAX_IN_FLIGHT);
    expect(worker.builds).toBe(MAX_IN_FLIGHT);
    surface.update(south, 800);
    expect(surface.pending).toBe(waiting);
    expect(worker.builds).toBe(MAX_IN_FLIGHT);
    worker.answer(1);
    expect(surface.pending).toBe(waiting - 1);

    // Levels built for the old look are dropped and asked again.
    surface.setExaggeration(4);
    surface.update(south, 800);
    const before = surface.pending;
    worker.answer(MAX_IN_FLIGHT - 1);
    expect(surface.pending).toBe(before);
    let frames = 0;
    while (surface.pending > 0 && frames < 500) {
      surface.update(south, 800);
      expect(worker.builds).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      worker.answer(1);
      frames++;
    }
    expect(surface.pending).toBe(0);

    // It ends where a surface building on the main thread ends.
    vi.unstubAllGlobals();
    const reference = new TerrainSurface(data, { exaggeration: 4, hillshade: true });
    reference.update(south, 800, Infinity);
    expect(surface.lod()).toEqual(reference.lod());
    expect(positions(surface)).toEqual(positions(reference));
    reference.dispose();

    // Answers on their way when the surface goes are ignored.
    surface.update(camera(new Vector3(-x0 - 1500, 2500, z0 + 1500), new Vector3(-x0 - 6000, 0, z0 + 6000)), 800);
    expect(worker.builds).toBe(MAX_IN_FLIGHT);
    const shown = positions(surface);
    surface.dispose();
    expect(worker.terminated).toBe(true);
    worker.answer();
    expect(positions(surface)).toEqual(shown);
  });
});
