/**
 * A terrain too large to draw at full resolution, for the level-of-detail
 * suites: a synthetic 2300 x 2050 DEM (4.7 M cells, 30 m, UTM) of ridged
 * fractal relief down to single cells (so coarse levels differ from fine
 * ones), with pits along the tiles' shared edges where cracks between levels
 * would be widest, written as a GeoTIFF, imported through
 * the import dialog as a user would, and the camera that views it, rebuilt
 * in Node from the view's data-camera to project points and cast rays.
 */
import { join } from 'node:path';
import { PerspectiveCamera, Vector2, Vector3, type Raycaster } from 'three';
import type { Page } from 'playwright-core';
import { writeGeoTiff } from '../../../src/io/geotiff-write';
import { READY_TIMEOUT } from './harness';
import { valueNoise } from './pages/value-noise';

export const LARGE_NX = 2300;
export const LARGE_NY = 2050;
export const LARGE_CELL_M = 30;
/** Amplitude of the rough ground's first small-scale octave (m). */
const ROUGHNESS_M = 40;
/** Height of the lowest ground (m): above sea level, so no cell takes the sea's colour. */
const BASE_M = 400;
/** Depth of the pits on the tile edges (m). */
const PIT_M = 200;

export interface LargeDem {
  path: string;
  nx: number;
  ny: number;
  heights: Float32Array;
  min: number;
  max: number;
}

/** Writes the DEM to `dir`/ridges.tif: ridged mountains (1024- to 64-cell wavelengths) over rough ground (32 to 2 cells), about 150-2300 m. */
export async function writeLargeDem(dir: string): Promise<LargeDem> {
  const nx = LARGE_NX;
  const ny = LARGE_NY;
  const heights = new Float32Array(nx * ny);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let h = BASE_M;
      for (let period = 1024, octave = 0; period >= 2; period /= 2, octave++) {
        const n = valueNoise(i / period, j / period, octave + 1);
        // Ridged at the large scales (sharp crests); below, rough ground: boulders and gullies of tens of metres down to single cells.
        h += period >= 64 ? (900 / 2 ** octave) * (1 - Math.abs(2 * n - 1)) : ROUGHNESS_M * 0.8 ** (octave - 5) * (n - 0.5);
      }
      // Pits along the tiles' shared edges, at cells no coarser level samples: without skirts, a coarser
      // neighbour would bridge each pit and leave a hole the background shows through.
      if (((i % 256 === 0 && i > 0 && j % 8 === 1) || (j % 256 === 0 && j > 0 && i % 8 === 1))) h -= PIT_M;
      heights[j * nx + i] = h;
      const stored = heights[j * nx + i]!;
      if (stored < min) min = stored;
      if (stored > max) max = stored;
    }
  }
  const path = join(dir, 'ridges.tif');
  const raster = {
    georef: { nx, ny, x0: 500_000, y0: 4_200_000, dx: LARGE_CELL_M, dy: LARGE_CELL_M, crs: 'EPSG:32613', dxMetres: LARGE_CELL_M, dyMetres: LARGE_CELL_M },
    data: heights,
    units: 'm',
  };
  await writeGeoTiff(path, raster);
  return { path, nx, ny, heights, min, max };
}

/** Imports a terrain file into `project` through the import dialog and waits until the view has drawn it. */
export async function importTerrain(page: Page, file: string, project: string): Promise<void> {
  const view = '[data-testid="terrain-view"]';
  const readyBefore = Number(await page.locator(view).getAttribute('data-ready-count'));
  await page.click('[data-testid="import-button"]');
  await page.fill('[data-testid="import-path-input"]', file);
  await page.click('[data-testid="import-add"]');
  await page.waitForSelector('[data-testid="import-file"][data-state="ready"]', { timeout: 120_000 });
  await page.fill('[data-testid="import-project"]', project);
  await page.locator('[data-testid="import-project"]').dispatchEvent('change');
  await page.click('[data-testid="import-accept"]');
  await page.locator('[data-testid="import-result"]').waitFor({ state: 'visible', timeout: 180_000 });
  await page.waitForFunction(
    ([selector, count]) => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null } }).document.querySelector(selector as string);
      return el?.dataset.state === 'ready' && Number(el.dataset.readyCount) > (count as number);
    },
    [view, readyBefore] as const,
    { timeout: 3 * READY_TIMEOUT },
  );
  await page.click('[data-testid="import-close"]');
  await page.locator('[data-testid="import-dialog"]').waitFor({ state: 'detached' });
}

/** The view's camera (data-camera) as last drawn. */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
  fov: number;
}

/** Reads the camera pose and the terrain's level of detail as last drawn. */
export async function viewState(page: Page): Promise<{ camera: CameraPose; strides: number[]; vertices: number; budget: number; pending: number; tiles: [number, number] }> {
  const el = page.locator('[data-testid="terrain-view"]');
  const [camera, strides, vertices, budget, pending, tiles] = await Promise.all(
    ['data-camera', 'data-terrain-strides', 'data-terrain-vertices', 'data-terrain-budget', 'data-terrain-pending', 'data-terrain-tiles'].map((name) => el.getAttribute(name)),
  );
  return {
    camera: JSON.parse(camera!) as CameraPose,
    strides: strides!.split(',').map(Number),
    vertices: Number(vertices),
    budget: Number(budget),
    pending: Number(pending),
    tiles: tiles!.split('x').map(Number) as [number, number],
  };
}

/**
 * Waits until the view is still: three animation frames pass without a frame
 * drawn (the view draws only on change, so the orbit's damping is done) and
 * every tile is drawn at its chosen level. Frames of millions of vertices
 * take seconds under SwiftShader: a wall-clock pause could not tell.
 */
export async function settle(page: Page, timeout = 300_000): Promise<void> {
  const until = Date.now() + timeout;
  const frames = async () => Number(await page.locator('[data-testid="terrain-view"]').getAttribute('data-frames'));
  for (;;) {
    const before = await frames();
    await page.evaluate(() => {
      const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
      return new Promise<void>((resolve) => raf(() => raf(() => raf(() => resolve()))));
    });
    const { pending } = await viewState(page);
    if (pending === 0 && (await frames()) === before) return;
    if (Date.now() > until) throw new Error(`the view did not settle in ${timeout} ms (pending ${pending})`);
  }
}

/** The view's camera rebuilt in Node for a canvas of this size. */
export function nodeCamera(pose: CameraPose, width: number, height: number): PerspectiveCamera {
  const camera = new PerspectiveCamera(pose.fov, width / height, 1, 1e7);
  camera.position.fromArray(pose.position);
  camera.lookAt(new Vector3().fromArray(pose.target));
  camera.updateMatrixWorld();
  camera.updateProjectionMatrix();
  return camera;
}

/** Canvas pixel (CSS px from its top-left) of a world point. */
export function project(camera: PerspectiveCamera, point: Vector3, width: number, height: number): [number, number] {
  const p = point.clone().project(camera);
  return [((p.x + 1) / 2) * width, ((1 - p.y) / 2) * height];
}

/** Points a raycaster through a canvas pixel, as the view's picking does. */
export function rayThrough(raycaster: Raycaster, camera: PerspectiveCamera, x: number, y: number, width: number, height: number): void {
  raycaster.setFromCamera(new Vector2((x / width) * 2 - 1, -(y / height) * 2 + 1), camera);
}
