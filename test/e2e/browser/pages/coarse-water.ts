/**
 * In-page half of coarse-water.e2e.test.ts: the real TerrainScene on a gently
 * tilted n x n plane, seen from its home view, where every terrain tile is
 * drawn coarser than the DEM, and water in a channel of a few cells along a
 * column. Returns the canvas with the water on and off, and the tiles' strides.
 */
import type { SiteData } from '@api';
import { TerrainScene } from '../../../../renderer/src/scene/TerrainScene';
import type { CoarseWaterRun } from './results';

function tiltedPlane(n: number, cell: number): SiteData {
  const elevation = new Float32Array(n * n);
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) elevation[row * n + col] = 100 + 0.002 * cell * (n - row) + 0.001 * cell * col;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const h of elevation) {
    min = Math.min(min, h);
    max = Math.max(max, h);
    sum += h;
  }
  return {
    site: { id: 'plane', name: `Plane ${n} x ${n}`, description: '', source: 'synthetic', licence: '' },
    georef: { nx: n, ny: n, x0: 0, y0: 0, dx: cell, dy: cell, crs: 'unknown', dxMetres: cell, dyMetres: cell },
    units: 'm',
    stats: { min, max, mean: sum / (n * n), nodataFraction: 0 },
    elevation,
  };
}

/** `cols`: the channel's first and last column; `depthM`: its depth. */
async function run(n: number, cols: [number, number], depthM: number): Promise<CoarseWaterRun> {
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0';
  document.body.appendChild(container);
  let onReady = (): void => {};
  let onRender = (): void => {};
  const scene = new TerrainScene(container, { onReady: () => onReady(), onRender: () => onRender() });
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
    scene.setTerrain(tiltedPlane(n, 10), { exaggeration: 3, hillshade: true });
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
    scene.dispose();
    container.remove();
  }
}

declare global {
  interface Window {
    coarseWater?: typeof run;
  }
}
window.coarseWater = run;
