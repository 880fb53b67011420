/**
 * The camera never goes under the ground: below it, or too close for the
 * near plane, it is lifted to its clearance over the highest ground around
 * it; above, or off the site, it is left alone; a wide search reads a
 * bounded number of cells and still finds a lone peak's neighbourhood.
 */
import { PerspectiveCamera } from 'three';
import { describe, expect, it } from 'vitest';
import { CLEARANCE_NEARS, highestGround, liftAboveGround } from '../../../renderer/src/scene/ground-clearance';
import { cellFrame, terrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { testSite } from './test-site';

const EXAGGERATION = 2;

describe('ground clearance', () => {
  const grid = terrainGrid(testSite(200, 150));
  const frame = cellFrame(grid);
  /** World height of the drawn ground at a cell. */
  const ground = (col: number, row: number) => (grid.heights[row * grid.cols + col]! - grid.min) * EXAGGERATION;
  const cameraAt = (col: number, row: number, y: number, near: number) => {
    const camera = new PerspectiveCamera(45, 1.5, near, 1e6);
    camera.position.set(frame.x0 + col * frame.cellX, y, frame.z0 + row * frame.cellZ);
    return camera;
  };

  it('lifts a camera under the ground to the clearance over the highest ground within its reach', () => {
    const near = 20;
    const camera = cameraAt(100, 70, ground(100, 70) - 50, near);
    expect(liftAboveGround(camera, grid, frame, EXAGGERATION)).toBe(true);
    // The reach (2 near = 40 m) spans cells 99..101 and 69..71 on 30 m cells.
    let top = -Infinity;
    for (let r = 68; r <= 72; r++) for (let c = 98; c <= 102; c++) if (Math.abs(c - 100) * 30 <= 60 && Math.abs(r - 70) * 30 <= 60) top = Math.max(top, ground(c, r));
    expect(camera.position.y).toBeGreaterThanOrEqual(ground(100, 70) + CLEARANCE_NEARS * near);
    expect(camera.position.y).toBeLessThanOrEqual(top + CLEARANCE_NEARS * near);
    // Where it was lifted to, it stays.
    expect(liftAboveGround(camera, grid, frame, EXAGGERATION)).toBe(false);
  });

  it('leaves a camera high enough, or off the site, where it is', () => {
    const high = cameraAt(100, 70, grid.max * EXAGGERATION + 1000, 20);
    expect(liftAboveGround(high, grid, frame, EXAGGERATION)).toBe(false);
    const off = cameraAt(-50, 70, -1000, 20);
    expect(liftAboveGround(off, grid, frame, EXAGGERATION)).toBe(false);
    expect(off.position.y).toBe(-1000);
  });

  it('reads at most a bounded grid of cells over a wide reach, the reach edges included', () => {
    const heights = new Float32Array(grid.heights.length).fill(100);
    // A peak on the reach's last row and column: a strided search must still read them.
    heights[140 * grid.cols + 180] = 900;
    const flat = { ...grid, heights, min: 100, max: 900 };
    const centre = { x: frame.x0 + 100 * frame.cellX, z: frame.z0 + 60 * frame.cellZ };
    expect(highestGround(flat, frame, 1, centre.x, centre.z, 80 * 30)).toBe(800);
    expect(highestGround(flat, frame, 1, centre.x, centre.z, 10 * 30)).toBe(0);
  });
});
