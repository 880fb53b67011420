/**
 * The terrain's level choice: the budget holds, sites within it are drawn
 * no finer than their error calls for, and nearer tiles are never coarser than
 * farther ones of the same size in view. Driven through the same pipeline
 * as the view: tiles, their relief and measured errors, boxes and a three.js
 * camera's frustum.
 */
import { Box3, Frustum, Matrix4, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { MAX_ERROR_PX, VERTEX_BUDGET, drawnVertices, selectLevels, type TileOptions } from '../../../renderer/src/scene/lod-select';
import { levelErrors } from '../../../renderer/src/scene/level-error';
import { boxDistance, pixelsPerUnit, tileOptions, tileRelief, type Box } from '../../../renderer/src/scene/screen-error';
import type { TerrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { levelVertices, strideOf, tileLayout } from '../../../renderer/src/scene/terrain-tiles';

const CELL = 10;
const EXAGGERATION = 3;

/** A DEM with the same relief on every tile: bumps with a period that divides the tile size. */
function bumpyGrid(n: number): TerrainGrid {
  const heights = new Float32Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) heights[j * n + i] = 100 + 40 * Math.sin((2 * Math.PI * i) / 64) * Math.cos((2 * Math.PI * j) / 64);
  return { cols: n, rows: n, dx: CELL, dz: CELL, heights, min: 60, max: 140 };
}

/** The view's inputs for a camera at `eye` looking at `target`, 800 px tall. */
function view(grid: TerrainGrid, eye: Vector3, target: Vector3, heightPx = 800) {
  const camera = new PerspectiveCamera(38, 1.5, 1, 1e6);
  camera.position.copy(eye);
  camera.lookAt(target);
  camera.updateMatrixWorld();
  camera.updateProjectionMatrix();
  const frustum = new Frustum().setFromProjectionMatrix(new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse));
  const { tiles } = tileLayout(grid.cols, grid.rows);
  const relief = tiles.map((t) => tileRelief(grid, t));
  const x0 = -((grid.cols - 1) * CELL) / 2;
  const z0 = -((grid.rows - 1) * CELL) / 2;
  const boxes: Box[] = tiles.map((t, i) => ({
    min: [x0 + t.col0 * CELL, (relief[i]!.min - grid.min) * EXAGGERATION, z0 + t.row0 * CELL],
    max: [x0 + (t.col0 + t.spanX) * CELL, (relief[i]!.max - grid.min) * EXAGGERATION, z0 + (t.row0 + t.spanZ) * CELL],
  }));
  const errors = tiles.map((t) => levelErrors(grid, t));
  const options = tileOptions(tiles, relief, errors, boxes, CELL, EXAGGERATION, {
    eye: [eye.x, eye.y, eye.z],
    pxPerUnit: pixelsPerUnit(camera.fov, heightPx),
    near: camera.near,
    inView: (b) => frustum.intersectsBox(new Box3(new Vector3(...b.min), new Vector3(...b.max))),
  });
  return { tiles, boxes, options, inView: options.map((o) => o.errors[0]! > 0) };
}

describe('selectLevels', () => {
  it('draws a site that fits the budget whole no finer than its error calls for: coarse from afar, stride 1 close by', () => {
    const grid = bumpyGrid(1025);
    const { options: overhead } = view(grid, new Vector3(0, 30_000, 1), new Vector3(0, 0, 0));
    const full = overhead.reduce((n, o) => n + o.vertices[0]!, 0);
    expect(full).toBeLessThanOrEqual(VERTEX_BUDGET);
    const far = selectLevels(overhead);
    expect(Math.min(...far), 'no tile needs stride 1 from 30 km up').toBeGreaterThan(0);
    expect(drawnVertices(overhead, far)).toBeLessThan(full / 4);
    far.forEach((level, i) => {
      expect(overhead[i]!.errors[level]).toBeLessThanOrEqual(MAX_ERROR_PX);
      // The next coarser level would be visibly off: the choice is as coarse as the target allows.
      if (level < overhead[i]!.errors.length - 1) expect(overhead[i]!.errors[level + 1]).toBeGreaterThan(MAX_ERROR_PX);
    });
    // 50 m over the middle: the tiles round it are wanted whole.
    const { options: low, inView } = view(grid, new Vector3(0, 50, 0), new Vector3(400, 0, 400));
    const near = selectLevels(low);
    expect(near.filter((level, i) => inView[i] && level === 0).length).toBeGreaterThan(0);
    // Every tile refined until its error is within the target, or it is whole (the budget holds them all).
    low.forEach((o, i) => expect(near[i] === 0 || o.errors[near[i]!]! <= MAX_ERROR_PX).toBe(true));
  });

  it('keeps a 4 M-cell site within the budget, refines the tiles by the camera, and leaves those out of view coarsest', () => {
    const grid = bumpyGrid(2049);
    // Low over the north-west corner, looking south-east across the site.
    const eye = new Vector3(-10_000, 600, -10_000);
    const { tiles, options, inView } = view(grid, eye, new Vector3(0, 0, 0));
    const levels = selectLevels(options);
    expect(tiles.length).toBe(64);
    expect(drawnVertices(options, levels)).toBeLessThanOrEqual(VERTEX_BUDGET);
    expect(levels[0], 'the corner under the camera').toBe(0);
    expect(levels[63], 'the far corner').toBeGreaterThan(1);
    levels.forEach((level, i) => {
      if (!inView[i]) expect(level).toBe(tiles[i]!.levels - 1);
    });
  });

  it('never draws a nearer tile coarser than a farther one of the same size in view', () => {
    const grid = bumpyGrid(2049);
    const cameras = [
      [new Vector3(-10_000, 600, -10_000), new Vector3(0, 0, 0)],
      [new Vector3(0, 4000, 14_000), new Vector3(0, 0, 0)],
      [new Vector3(3000, 1500, 2000), new Vector3(-8000, 0, -6000)],
      [new Vector3(0, 25_000, 20_000), new Vector3(0, 0, 0)],
    ] as const;
    for (const [eye, target] of cameras) {
      const { tiles, boxes, options, inView } = view(grid, eye, target);
      const levels = selectLevels(options);
      const distance = boxes.map((b) => boxDistance([eye.x, eye.y, eye.z], b));
      for (let a = 0; a < tiles.length; a++) {
        for (let b = 0; b < tiles.length; b++) {
          if (!inView[a] || !inView[b] || distance[a]! >= distance[b]!) continue;
          expect(levels[a], `tile ${a} (${distance[a]!.toFixed(0)} m) against tile ${b} (${distance[b]!.toFixed(0)} m)`).toBeLessThanOrEqual(levels[b]!);
        }
      }
      expect(drawnVertices(options, levels)).toBeLessThanOrEqual(VERTEX_BUDGET);
    }
  });

  it('stops refining where the error is small enough, before the budget', () => {
    const grid = bumpyGrid(2049);
    // High above: every tile is small on screen.
    const { options } = view(grid, new Vector3(0, 60_000, 1), new Vector3(0, 0, 0));
    const levels = selectLevels(options);
    expect(drawnVertices(options, levels)).toBeLessThan(VERTEX_BUDGET / 2);
    levels.forEach((level, i) => {
      const errors = options[i]!.errors;
      expect(errors[level]).toBeLessThanOrEqual(MAX_ERROR_PX);
      if (level < errors.length - 1) expect(errors[level + 1]).toBeGreaterThan(MAX_ERROR_PX);
    });
  });

  it('honours any budget, and gives the coarsest levels when even those exceed it', () => {
    const tiles: TileOptions[] = Array.from({ length: 4 }, (_, i) => ({ vertices: [1000, 300, 100, 10], errors: [4 / (i + 1), 8 / (i + 1), 16 / (i + 1), 32 / (i + 1)] }));
    for (const budget of [40, 100, 500, 1500, 2500]) {
      const levels = selectLevels(tiles, budget, 0.5);
      expect(drawnVertices(tiles, levels)).toBeLessThanOrEqual(budget);
      for (let i = 1; i < 4; i++) expect(levels[i - 1]).toBeLessThanOrEqual(levels[i]!);
    }
    expect(selectLevels(tiles, 10, 0.5)).toEqual([3, 3, 3, 3]);
    expect(selectLevels(tiles, 4000, 0.5)).toEqual([0, 0, 0, 0]);
  });

  it('counts vertices as the tile levels hold them', () => {
    const { tiles } = tileLayout(2049, 1000);
    const corner = tiles[0]!;
    // 257^2 surface vertices, skirts (one row) on the east and south, walls (four vertices a segment) on the north and west.
    expect(levelVertices(corner, 0)).toBe(257 * 257 + 256 * 4 + 256 * 4 + 257 + 257);
    expect(strideOf(corner.levels - 1)).toBe(256);
    expect(levelVertices(corner, corner.levels - 1)).toBe(4 + 4 + 4 + 2 + 2);
  });
});
