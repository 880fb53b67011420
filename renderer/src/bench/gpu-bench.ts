/**
 * The renderer's half of the GPU benchmark (test/bench/gpu.html; test/bench/gpu.ts
 * builds the page, test/bench/gpu_run.py serves it to a Chromium with its GPU
 * switched on, on a machine that may have no Node). On the browser's own GPU:
 *   - the renderer benchmark of render-bench.ts (field update, frame time);
 *   - a sustained frame rate: the real TerrainScene orbiting a terrain with
 *     water, a new depth field every 4th frame as playback sends them, counted
 *     over seconds of requestAnimationFrame (capped by the display rate);
 *   - the wind particles.
 */
import type { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { TerrainSurface } from '../scene/TerrainSurface';
import type { ParticleBenchResult, RenderBenchResult } from './bench-results';
import { GpuFrameTimer } from './gpu-frame-timer';
import { VALLEY_SHARE, depthFields, valleyFlood } from './render-bench';
import type { SiteData } from '@api';
import { syntheticSite } from './synthetic-site';
import { windowScene } from './window-scene';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface OrbitResult {
  /** The terrain: synthetic or real, and its grid. */
  site: string;
  n: number;
  frames: number;
  seconds: number;
  fps: number;
  canvas: [number, number];
  /** Triangles of the last frame (renderer.info). */
  triangles: number;
  /** Main-thread ms per frame choosing and building the terrain's levels (TerrainSurface.update): mean, and the most in one frame. */
  detailMs: number;
  detailMaxMs: number;
  /** Main-thread ms taking in each level a worker built (its geometry; it arrives between frames): mean and most, and how many. */
  adoptMs: number;
  adoptMaxMs: number;
  adopted: number;
  /** GPU ms per drawn frame (timer queries; null where the browser has none): median and 95th percentile. */
  gpuMs: number | null;
  gpuP95Ms: number | null;
  /** Main-thread ms in renderer.render() per frame (issuing the draw calls): median and 95th percentile. */
  renderCallMs: number;
  renderCallP95Ms: number;
  /** Intervals between drawn frames, ms: median, 95th percentile, and how many exceeded 1.5 display frames (a frame missed). */
  intervalMs: number;
  intervalP95Ms: number;
  missed: number;
  /** Main-thread ms of field work (band uploads, wet-tile scan) in frames that had some: median and most; and the missed frames that followed one. */
  fieldMs: number;
  fieldMaxMs: number;
  missedAfterField: number;
}

interface OrbitVariant {
  /** Build the terrain's levels on the main thread (the page has no Worker while the scene is made). */
  mainThreadLevels?: boolean;
  /** Draw no water (and feed none). */
  dry?: boolean;
  /** Feed a valley flood (render-bench.ts) instead of the water on most tiles. */
  valley?: boolean;
}

async function orbit(site: SiteData, seconds: number, displayHz: number, variant: OrbitVariant = {}): Promise<OrbitResult & { variant: string }> {
  const water = variant.dry ? 'no water' : variant.valley ? `valley flood (${VALLEY_SHARE * 100} % of cells)` : 'water on most tiles';
  const label = [variant.mainThreadLevels ? 'levels on the main thread' : 'levels in a worker', water].join(', ');
  let onReady = (): void => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const drawnAt: number[] = [];
  const { scene, close } = windowScene({ onReady: () => onReady(), onRender: () => drawnAt.push(performance.now()) });
  const timer = new GpuFrameTimer(scene.renderer.getContext() as WebGL2RenderingContext);
  try {
    // The surface makes its level builder with the terrain.
    const Worker = globalThis.Worker;
    if (variant.mainThreadLevels) (globalThis as { Worker?: unknown }).Worker = undefined;
    scene.setTerrain(site, { exaggeration: 3, hillshade: true });
    globalThis.Worker = Worker;
    await ready;
    const depth = variant.valley ? valleyFlood(site, VALLEY_SHARE) : depthFields(site)[0];
    if (!variant.dry) scene.setWater(depth);
    // The user's turntable: OrbitControls' own auto-rotation (the scene keeps its controls private).
    const controls = (scene as unknown as { controls: OrbitControls }).controls;
    controls.autoRotate = true;
    controls.autoRotateSpeed = 6;
    // Time spent on level of detail, frame by frame (the scene keeps its surface private too).
    const surface = (scene as unknown as { terrain: TerrainSurface }).terrain;
    const update = surface.update.bind(surface);
    const detail: number[] = [];
    surface.update = (...args) => {
      const t = performance.now();
      update(...args);
      detail.push(performance.now() - t);
    };
    const built = surface as unknown as { onBuilt: (data: unknown) => void };
    const onBuilt = built.onBuilt.bind(surface);
    const adopt: number[] = [];
    built.onBuilt = (data) => {
      const t = performance.now();
      onBuilt(data);
      adopt.push(performance.now() - t);
    };
    // Each frame's field work (0 in frames with none), in step with drawnAt.
    const fields = scene as unknown as { uploadFields: () => void };
    const uploadFields = fields.uploadFields.bind(scene);
    const fieldWork: number[] = [];
    fields.uploadFields = () => {
      const t = performance.now();
      uploadFields();
      fieldWork.push(performance.now() - t);
    };
    // Each draw: its main-thread cost, and its GPU time.
    const render = scene.renderer.render.bind(scene.renderer);
    const renderCall: number[] = [];
    scene.renderer.render = (...args) => {
      const t = performance.now();
      timer.begin();
      render(...args);
      timer.end();
      renderCall.push(performance.now() - t);
    };
    await sleep(1000);
    detail.length = 0;
    adopt.length = 0;
    renderCall.length = 0;
    timer.samples.length = 0;
    drawnAt.length = 0;
    fieldWork.length = 0;
    const frames0 = scene.renderedFrames;
    const t0 = performance.now();
    let ticks = 0;
    const feed = setInterval(() => {
      if (++ticks % 4 === 0 && !variant.dry) scene.setWater(depth);
    }, 16);
    await sleep(seconds * 1000);
    clearInterval(feed);
    const frames = scene.renderedFrames - frames0;
    const elapsed = (performance.now() - t0) / 1000;
    const gl = scene.renderer.getContext();
    const intervals = drawnAt.slice(1).map((t, i) => t - drawnAt[i]!);
    const missed = (ms: number) => ms > 1500 / displayHz;
    // A field's work shows within 0.1 ms; intervals[i] ends with frame i + 1.
    const withField = fieldWork.filter((ms) => ms >= 0.1);
    return {
      site: `${site.site.source === 'synthetic' ? 'synthetic' : site.site.name} ${site.georef.nx} x ${site.georef.ny}`,
      n: site.georef.nx,
      frames,
      seconds: elapsed,
      fps: frames / elapsed,
      canvas: [gl.drawingBufferWidth, gl.drawingBufferHeight],
      triangles: scene.renderer.info.render.triangles,
      detailMs: detail.reduce((a, b) => a + b, 0) / Math.max(1, detail.length),
      detailMaxMs: Math.max(0, ...detail),
      adoptMs: adopt.reduce((a, b) => a + b, 0) / Math.max(1, adopt.length),
      adoptMaxMs: Math.max(0, ...adopt),
      adopted: adopt.length,
      gpuMs: timer.available ? quantile(timer.samples, 0.5) : null,
      gpuP95Ms: timer.available ? quantile(timer.samples, 0.95) : null,
      renderCallMs: quantile(renderCall, 0.5),
      renderCallP95Ms: quantile(renderCall, 0.95),
      intervalMs: quantile(intervals, 0.5),
      intervalP95Ms: quantile(intervals, 0.95),
      missed: intervals.filter(missed).length,
      fieldMs: quantile(withField, 0.5),
      fieldMaxMs: Math.max(0, ...withField),
      missedAfterField: intervals.filter((ms, i) => missed(ms) && (fieldWork[i] ?? 0) >= 0.1).length,
      variant: label,
    };
  } finally {
    timer.dispose();
    close();
  }
}

/**
 * The real Trinidad DEM that test/bench/gpu.ts writes beside the page (2159 x
 * 1352 cells of 82.5 m, NaN on its edge slivers), or null where it is absent.
 */
async function trinidadSite(): Promise<SiteData | null> {
  const [shape, data] = await Promise.all([fetch('/trinidad.json'), fetch('/trinidad.f32')]);
  if (!shape.ok || !data.ok) return null;
  const { nx, ny, dx, dy } = (await shape.json()) as { nx: number; ny: number; dx: number; dy: number };
  const elevation = new Float32Array(await data.arrayBuffer());
  let [min, max, sum, count] = [Infinity, -Infinity, 0, 0];
  for (const h of elevation) {
    if (h !== h) continue;
    [min, max, sum, count] = [Math.min(min, h), Math.max(max, h), sum + h, count + 1];
  }
  return {
    site: { id: 'trinidad', name: 'Trinidad (real DEM)', description: '', source: 'test/bench/trinidad.ts', licence: 'UCAR BSD-style' },
    georef: { nx, ny, x0: 0, y0: 0, dx, dy, crs: 'unknown', dxMetres: dx, dyMetres: dy },
    units: 'm',
    stats: { min, max, mean: sum / count, nodataFraction: 1 - count / elevation.length },
    elevation,
  };
}

/** requestAnimationFrame's rate with nothing drawn: the cap on any frame rate here. */
async function displayRate(seconds: number): Promise<number> {
  let frames = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      frames++;
      if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  return frames / ((performance.now() - t0) / 1000);
}

function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

export interface GpuRenderBenchResult {
  /** requestAnimationFrame's rate with nothing drawn. */
  displayHz: number;
  render: RenderBenchResult[];
  orbit: OrbitResult[];
  /**
   * The largest grid orbited again in turn, twice each: with a valley flood
   * (the water drawn on the tiles holding it), with no water, and with the
   * levels built on the main thread: what each costs, measured in one run.
   * Then the real Trinidad DEM, where the page has it: a valley flood and no water.
   */
  orbitVariants: (OrbitResult & { variant: string })[];
  /** Why the real terrain's orbits failed, if they did. */
  realError?: string;
  /** Null in an orbits-only run. */
  particles: ParticleBenchResult | null;
}

/**
 * `quick`: one small size and few samples (a smoke run on SwiftShader).
 * `orbitsOnly`: the orbits alone (a quicker run for frame rates).
 */
async function runGpuRenderBench(quick: boolean, orbitsOnly = false): Promise<GpuRenderBenchResult> {
  const sizes = quick ? [256] : [1024, 2048];
  const displayHz = await displayRate(2);
  const render: RenderBenchResult[] = [];
  if (!orbitsOnly) for (const n of sizes) render.push(await window.runRenderBench!(n, quick ? 2 : 30));
  const seconds = quick ? 1 : 5;
  const orbits: OrbitResult[] = [];
  for (const n of sizes) orbits.push(await orbit(syntheticSite(n), seconds, displayHz));
  const largest = syntheticSite(sizes.at(-1)!);
  const orbitVariants = [];
  const variants: OrbitVariant[] = [{ valley: true }, { dry: true }, { mainThreadLevels: true }];
  for (const variant of [...variants, ...variants]) orbitVariants.push(await orbit(largest, seconds, displayHz, variant));
  // The real terrain's failure must not lose the figures above.
  let realError: string | undefined;
  try {
    const real = quick ? null : await trinidadSite();
    if (real) for (const variant of [{ valley: true }, { dry: true }]) orbitVariants.push(await orbit(real, seconds, displayHz, variant));
  } catch (e) {
    realError = String((e as Error).stack ?? e);
  }
  const particles = orbitsOnly ? null : await window.runParticleBench!(sizes[0]!, quick ? 2 : 20);
  return { displayHz, render, orbit: orbits, orbitVariants, particles, realError };
}

declare global {
  interface Window {
    gpuRendererName?: () => string;
    runGpuRenderBench?: (quick: boolean, orbitsOnly?: boolean) => Promise<GpuRenderBenchResult>;
    runOrbitBench?: typeof orbit;
  }
}

window.gpuRendererName = webglRenderer;
window.runGpuRenderBench = runGpuRenderBench;
window.runOrbitBench = orbit;
