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
import { TerrainScene } from '../scene/TerrainScene';
import type { TerrainSurface } from '../scene/TerrainSurface';
import type { ParticleBenchResult, RenderBenchResult } from './bench-results';
import { VALLEY_SHARE, depthFields, valleyFlood } from './render-bench';
import { syntheticSite } from './synthetic-site';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface OrbitResult {
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
}

interface OrbitVariant {
  /** Build the terrain's levels on the main thread (the page has no Worker while the scene is made). */
  mainThreadLevels?: boolean;
  /** Draw no water (and feed none). */
  dry?: boolean;
  /** Feed a valley flood (render-bench.ts) instead of the water on most tiles. */
  valley?: boolean;
}

async function orbit(n: number, seconds: number, variant: OrbitVariant = {}): Promise<OrbitResult & { variant: string }> {
  const water = variant.dry ? 'no water' : variant.valley ? `valley flood (${VALLEY_SHARE * 100} % of cells)` : 'water on most tiles';
  const label = [variant.mainThreadLevels ? 'levels on the main thread' : 'levels in a worker', water].join(', ');
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0';
  document.body.appendChild(container);
  let onReady = (): void => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const scene = new TerrainScene(container, { onReady: () => onReady() });
  try {
    const site = syntheticSite(n);
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
    await sleep(1000);
    detail.length = 0;
    adopt.length = 0;
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
    return {
      n,
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
      variant: label,
    };
  } finally {
    scene.dispose();
    container.remove();
  }
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
   */
  orbitVariants: (OrbitResult & { variant: string })[];
  particles: ParticleBenchResult;
}

/** `quick`: one small size and few samples (a smoke run on SwiftShader). */
async function runGpuRenderBench(quick: boolean): Promise<GpuRenderBenchResult> {
  const sizes = quick ? [256] : [1024, 2048];
  const displayHz = await displayRate(2);
  const render: RenderBenchResult[] = [];
  for (const n of sizes) render.push(await window.runRenderBench!(n, quick ? 2 : 30));
  const orbits: OrbitResult[] = [];
  for (const n of sizes) orbits.push(await orbit(n, quick ? 1 : 5));
  const largest = sizes.at(-1)!;
  const orbitVariants = [];
  const variants: OrbitVariant[] = [{ valley: true }, { dry: true }, { mainThreadLevels: true }];
  for (const variant of [...variants, ...variants]) orbitVariants.push(await orbit(largest, quick ? 1 : 5, variant));
  const particles = await window.runParticleBench!(sizes[0]!, quick ? 2 : 20);
  return { displayHz, render, orbit: orbits, orbitVariants, particles };
}

declare global {
  interface Window {
    gpuRendererName?: () => string;
    runGpuRenderBench?: (quick: boolean) => Promise<GpuRenderBenchResult>;
    runOrbitBench?: typeof orbit;
  }
}

window.gpuRendererName = webglRenderer;
window.runGpuRenderBench = runGpuRenderBench;
window.runOrbitBench = orbit;
