/**
 * In-page half of coarse-water.e2e.test.ts: the real TerrainScene on a gently
 * tilted n x n plane, seen from its home view, where every terrain tile is
 * drawn coarser than the DEM, and water in a channel of a few cells along a
 * column. Returns the canvas with the water on and off, and the tiles' strides.
 */
import { CELL_M, siteFromHeights } from '../../../../renderer/src/bench/synthetic-site';
import type { CoarseWaterRun } from './results';
import { windowScene } from '../../../../renderer/src/bench/window-scene';

/** `cols`: the channel's first and last column; `depthM`: its depth. */
async function run(n: number, cols: [number, number], depthM: number): Promise<CoarseWaterRun> {
  let onReady = (): void => {};
  let onRender = (): void => {};
  const { scene, close } = windowScene({ onReady: () => onReady(), onRender: () => onRender() });
  /** Waits for `count` frames drawn with the water on or off (the view draws on change only: each asks for one). */
  const frames = async (water: boolean, count: number) => {
    for (let i = 0; i < count; i++) {
      const drawn = new Promise<void>((resolve) => (onRender = resolve));
      scene.setWaterVisible(water);
      await drawn;
    }
  };
  try {
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    // A plane tilted down to the south and the west.
    const plane = siteFromHeights('plane', `Plane ${n} x ${n}`, n, (col, row) => 100 + 0.002 * CELL_M * (n - row) + 0.001 * CELL_M * col);
    scene.setTerrain(plane, { exaggeration: 3, hillshade: true });
    await ready;
    const depth = new Float32Array(n * n);
    for (let row = 0; row < n; row++) for (let col = cols[0]; col <= cols[1]; col++) depth[row * n + col] = depthM;
    scene.setWater(depth);
    await frames(true, 2);
    const wet = scene.renderer.domElement.toDataURL('image/png');
    await frames(false, 2);
    const dry = scene.renderer.domElement.toDataURL('image/png');
    return { wet, dry, strides: scene.lod!.strides };
  } finally {
    close();
  }
}

declare global {
  interface Window {
    coarseWater?: typeof run;
  }
}
window.coarseWater = run;
