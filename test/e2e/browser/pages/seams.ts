/**
 * In-page half of seams.e2e.test.ts: the real TerrainScene on a large
 * synthetic site, seen from its home view, where its tiles are drawn at
 * several levels: the relief of the level-of-detail suite's terrain
 * (large-terrain.ts) at a third of its height on 10 m cells (the same
 * slopes), with its pits along the tiles' shared edges. Returns the canvas, the tiles'
 * strides, and the tiles' shared edges and the lines through their middles
 * projected to the canvas with the view's camera.
 */
import { PerspectiveCamera, Vector3 } from 'three';
import { CELL_M, siteFromHeights } from '../../../../renderer/src/bench/synthetic-site';
import { TILE_CELLS } from '../../../../renderer/src/scene/terrain-tiles';
import type { ScreenLine, SeamsRun } from './results';
import { valueNoise } from './value-noise';
import { windowScene } from '../../../../renderer/src/bench/window-scene';

const EXAGGERATION = 3;

/**
 * Ridged mountains (1024- to 64-cell wavelengths, about 600 m) over rough
 * ground (32 to 2 cells, a few metres), and single-cell pits 67 m deep every
 * 8 cells along the tiles' shared edges, at cells no coarser level samples.
 */
function height(col: number, row: number): number {
  let h = 100;
  for (let period = 1024, octave = 0; period >= 2; period /= 2, octave++) {
    const n = valueNoise(col / period, row / period, octave + 1);
    h += period >= 64 ? (300 / 2 ** octave) * (1 - Math.abs(2 * n - 1)) : 13 * 0.8 ** (octave - 5) * (n - 0.5);
  }
  const pit = (col % TILE_CELLS === 0 && col > 0 && row % 8 === 1) || (row % TILE_CELLS === 0 && row > 0 && col % 8 === 1);
  return pit ? h - 67 : h;
}

async function run(n: number): Promise<SeamsRun> {
  let onReady = (): void => {};
  let onRender = (): void => {};
  const { scene, container, close } = windowScene({ onReady: () => onReady(), onRender: () => onRender() });
  try {
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const site = siteFromHeights('seams', `Seams ${n} x ${n}`, n, height);
    scene.setTerrain(site, { exaggeration: EXAGGERATION, hillshade: true });
    await ready;
    // Frames until every tile is drawn at its chosen level, then one more.
    for (let frame = 0; ; frame++) {
      const drawn = new Promise<void>((resolve) => (onRender = resolve));
      if (scene.lod!.pending === 0) scene.setWaterVisible(false);
      await drawn;
      if (scene.lod!.pending === 0) break;
      if (frame > 100) throw new Error(`${scene.lod!.pending} tiles still pending`);
    }
    const image = scene.renderer.domElement.toDataURL('image/png');
    const { width, height: canvasHeight } = container.getBoundingClientRect();
    const pose = scene.cameraPose;
    const camera = new PerspectiveCamera(pose.fov, width / canvasHeight, 1, 1e7);
    camera.position.fromArray(pose.position);
    camera.lookAt(new Vector3().fromArray(pose.target));
    camera.updateMatrixWorld();
    camera.updateProjectionMatrix();
    const { elevation } = site;
    const min = site.stats.min;
    const p = new Vector3();
    /** The DEM vertices from (col, row) on, `count` of them a step (dc, dr) apart, on the canvas. */
    const line = (col: number, row: number, dc: number, dr: number, count: number): number[] => {
      const out: number[] = [];
      for (let k = 0; k < count; k++, col += dc, row += dr) {
        p.set(-((n - 1) * CELL_M) / 2 + col * CELL_M, (elevation[row * n + col]! - min) * EXAGGERATION, -((n - 1) * CELL_M) / 2 + row * CELL_M).project(camera);
        out.push(((p.x + 1) / 2) * width, ((1 - p.y) / 2) * canvasHeight);
      }
      return out;
    };
    const lod = scene.lod!;
    const stride = (tx: number, tz: number) => lod.strides[tz * lod.tilesX + tx]!;
    const edges: ScreenLine[] = [];
    const middles: ScreenLine[] = [];
    for (let tz = 0; tz < lod.tilesZ; tz++) {
      for (let tx = 0; tx < lod.tilesX; tx++) {
        const col0 = tx * TILE_CELLS;
        const row0 = tz * TILE_CELLS;
        const span = (at: number) => Math.min(TILE_CELLS, n - 1 - at) + 1;
        const own = stride(tx, tz);
        if (tx > 0) edges.push({ stride: Math.min(own, stride(tx - 1, tz)), points: line(col0, row0, 0, 1, span(row0)) });
        if (tz > 0) edges.push({ stride: Math.min(own, stride(tx, tz - 1)), points: line(col0, row0, 1, 0, span(col0)) });
        const middle = TILE_CELLS / 2;
        if (span(col0) > middle && span(row0) > middle) {
          middles.push({ stride: own, points: line(col0 + middle, row0, 0, 1, span(row0)) }, { stride: own, points: line(col0, row0 + middle, 1, 0, span(col0)) });
        }
      }
    }
    return { image, strides: lod.strides, edges, middles };
  } finally {
    close();
  }
}

declare global {
  interface Window {
    seams?: typeof run;
  }
}
window.seams = run;
