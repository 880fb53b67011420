/**
 * The in-page half of the renderer benchmarks (test/bench/render.ts and
 * test/bench/weather.ts load it through Vite from test/bench/render.html; the
 * app never imports it). runRenderBench drives the real TerrainScene on a
 * synthetic n x n terrain the way the app does when a run's frame arrives:
 * setWater() writes the depth field into the water layer's DataTexture and
 * flags it, the scene's next animation frame renders and so uploads it.
 * runParticleBench does the same for the weather view's wind particles.
 * With `ripples`, runRenderBench also times frames with the water's ripples
 * off and on, interleaved (the same view, the same frame's velocity), and
 * the rebuild of the ripples' flow texture from a velocity frame.
 * Each size's terrain is then measured at the home view and zoomed in on the
 * centre (wheel events on the canvas, as a user zooms): its level of detail,
 * what three.js drew (renderer.info) and the frame time.
 *
 * Instrumentation only wraps, never replaces: renderer.render is timed, up
 * to a one-pixel readPixels that waits for the frame to be rasterised
 * (Chromium's gl.finish does not wait); the scene's field work before a
 * frame is drawn (band uploads, the water's wet-tile scan) and the
 * context's texSubImage2D / texImage2D calls outside it (a whole field goes
 * up inside render) are timed to isolate the update. Waiting for each frame
 * also keeps one frame's backlog out of the next one's upload.
 */
import type { SiteData } from '@api';
import type { DetailSample, ParticleBenchResult, RenderBenchResult } from './bench-results';
import { DEPTH_THRESHOLD_M } from '../scene/depth-ramp';
import { FIELD_STYLES, fieldScale } from '../scene/field-ramp';
import { FlowTexture } from '../scene/flow-texture';
import { DEFAULT_PARTICLE_COUNT, WindParticles } from '../scene/WindParticles';
import { syntheticSite } from './synthetic-site';
import { windowScene } from './window-scene';

declare global {
  interface Window {
    runRenderBench?: (n: number, samples: number, ripples?: boolean) => Promise<RenderBenchResult>;
    runParticleBench?: (n: number, samples: number) => Promise<ParticleBenchResult>;
  }
}

/** Two depth fields to alternate, so every update changes the texture: wet valleys, dry ridges (water below the mean height: on most tiles). */
export function depthFields(site: SiteData): [Float32Array, Float32Array] {
  const { elevation, stats } = site;
  const fields: [Float32Array, Float32Array] = [new Float32Array(elevation.length), new Float32Array(elevation.length)];
  for (let k = 0; k < elevation.length; k++) {
    const below = stats.mean - elevation[k]!;
    fields[0][k] = Math.max(0, below * 0.02);
    fields[1][k] = Math.max(0, below * 0.03);
  }
  return fields;
}

/** Share of the cells the bench's valley flood wets. */
export const VALLEY_SHARE = 0.1;

/**
 * A flood as a river's would be: water up to the height below which `share`
 * of the cells lie, so only the tiles with low ground hold any.
 */
export function valleyFlood(site: SiteData, share: number): Float32Array {
  const sorted = Float32Array.from(site.elevation).sort();
  const level = sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
  return site.elevation.map((h) => Math.max(0, level - h));
}

/** A velocity frame to go with the depths: downhill, faster where deeper (m/s east and north). */
function flowField(site: SiteData, depth: Float32Array): { u: Float32Array; v: Float32Array } {
  const n = site.georef.nx;
  const u = new Float32Array(depth.length);
  const v = new Float32Array(depth.length);
  const h = site.elevation;
  for (let k = 0; k < depth.length; k++) {
    const [i, j] = [k % n, Math.floor(k / n)];
    // Row 0 is north: north is j - 1.
    const east = h[k + (i < n - 1 ? 1 : 0)]! - h[k - (i > 0 ? 1 : 0)]!;
    const north = h[k - (j > 0 ? n : 0)]! - h[k + (j < n - 1 ? n : 0)]!;
    const norm = Math.hypot(east, north) || 1;
    const speed = Math.min(3, 2 * Math.sqrt(depth[k]!));
    u[k] = (-east / norm) * speed;
    v[k] = (-north / norm) * speed;
  }
  return { u, v };
}

async function runRenderBench(n: number, samples: number, ripples = false): Promise<RenderBenchResult> {
  let onRender = (): void => {};
  let onReady = (): void => {};
  const { scene, close } = windowScene({ onRender: () => onRender(), onReady: () => onReady() });
  const renderer = scene.renderer;
  const gl = renderer.getContext() as WebGL2RenderingContext;

  let uploadMs = 0;
  let inFields = false;
  for (const name of ['texSubImage2D', 'texImage2D'] as const) {
    const original = gl[name] as (...args: unknown[]) => void;
    (gl as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      original.apply(gl, args);
      if (!inFields) uploadMs += performance.now() - t0;
    };
  }
  // The scene keeps its per-frame field work private.
  const sceneFields = scene as unknown as { uploadFields: () => void };
  const uploadFields = sceneFields.uploadFields.bind(scene);
  sceneFields.uploadFields = () => {
    const t0 = performance.now();
    inFields = true;
    try {
      uploadFields();
    } finally {
      inFields = false;
      uploadMs += performance.now() - t0;
    }
  };
  let frameMs = 0;
  let drawn = { triangles: 0, calls: 0 };
  const render = renderer.render.bind(renderer);
  const pixel = new Uint8Array(4);
  renderer.render = (s, c) => {
    const t0 = performance.now();
    render(s, c);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    frameMs = performance.now() - t0;
    drawn = { triangles: renderer.info.render.triangles, calls: renderer.info.render.calls };
  };
  const nextRender = () => new Promise<void>((resolve) => (onRender = resolve));
  /** The terrain's detail in the view as drawn now, and `samples` frames of it redrawn. */
  const detail = async (settle: number): Promise<DetailSample> => {
    const frame: number[] = [];
    for (let i = 0; i < samples; i++) {
      const redrawn = nextRender();
      scene.setWaterVisible(true);
      await redrawn;
      frame.push(frameMs);
    }
    const lod = scene.lod!;
    const strides: Record<number, number> = {};
    for (const stride of lod.strides) strides[stride] = (strides[stride] ?? 0) + 1;
    return { full: lod.full, vertices: lod.vertices, strides, ...drawn, frame, settle };
  };

  try {
    const site = syntheticSite(n);
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    scene.setTerrain(site, { exaggeration: 3, hillshade: true });
    await ready;
    const fields = depthFields(site);
    // Warm up: the water's shader compiles and its texture is allocated on the first frames.
    for (let i = 0; i < 3; i++) {
      scene.setWater(fields[i % 2]!);
      do await nextRender();
      while (scene.fieldsPending);
    }

    const result: RenderBenchResult = {
      nx: n,
      ny: n,
      gpu: rendererName(gl),
      canvas: [gl.drawingBufferWidth, gl.drawingBufferHeight],
      setWater: [],
      upload: [],
      uploadFrameMax: [],
      framesToShow: [],
      frame: [],
      frameNoUpdate: [],
      coverage: [],
      frameRipplesOff: [],
      frameRipplesOn: [],
      flowUpdate: [],
    };
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      scene.setWater(fields[i % 2]!);
      result.setWater.push(performance.now() - t0);
      // The frames until the new field is on show: one, or one per band of a large field (StreamedCellTexture).
      let upload = 0;
      let most = 0;
      let worst = 0;
      let frames = 0;
      do {
        uploadMs = 0;
        await nextRender();
        upload += uploadMs;
        most = Math.max(most, uploadMs);
        worst = Math.max(worst, frameMs);
        frames++;
      } while (scene.fieldsPending);
      result.upload.push(upload);
      result.uploadFrameMax.push(most);
      result.framesToShow.push(frames);
      result.frame.push(worst);
      // The same view redrawn with no new field: what the frame costs without the upload.
      const redrawn = nextRender();
      scene.setWaterVisible(true);
      await redrawn;
      result.frameNoUpdate.push(frameMs);
    }
    if (ripples) {
      const depth = fields[0];
      const flow = flowField(site, depth);
      scene.setWater(depth, flow);
      // Warm up: the rippled shader variant is the same program; the flow texture is made on the first rippled frame.
      scene.setRipples(true);
      await nextRender();
      await nextRender();
      for (let i = 0; i < samples; i++) {
        let drawn = nextRender();
        scene.setRipples(false);
        await drawn;
        result.frameRipplesOff.push(frameMs);
        drawn = nextRender();
        scene.setRipples(true);
        await drawn;
        result.frameRipplesOn.push(frameMs);
      }
      scene.setRipples(false);
      const texture = new FlowTexture(n, n);
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        texture.set(depth, flow.u, flow.v, DEPTH_THRESHOLD_M);
        result.flowUpdate.push(performance.now() - t0);
      }
      texture.dispose();
    }
    const home = await detail(0);
    for (const [water, depth] of [['most tiles', fields[0]], [`valley flood, ${VALLEY_SHARE * 100} % of cells`, valleyFlood(site, VALLEY_SHARE)], ['none', null]] as const) {
      scene.setWater(depth);
      do await nextRender();
      while (scene.fieldsPending);
      const { frame } = await detail(0);
      const layer = (scene as unknown as { water: { wetTiles: number } }).water;
      result.coverage.push({ water, tiles: scene.lod!.strides.length, wetTiles: depth ? layer.wetTiles : 0, frame });
    }
    scene.setWater(fields[0]);
    do await nextRender();
    while (scene.fieldsPending);
    // Zoom in: 6 wheel notches (to a fifth of the distance; the orbit centre is below the ground, so no further), then let the tiles in view refine.
    const t0 = performance.now();
    for (let i = 0; i < 6; i++) renderer.domElement.dispatchEvent(new WheelEvent('wheel', { deltaY: -500, bubbles: true, cancelable: true }));
    do await nextRender();
    while (scene.lod!.pending > 0);
    result.detail = { home, zoomed: await detail(performance.now() - t0) };
    return result;
  } finally {
    close();
  }
}

function rendererName(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/**
 * The wind particles as the weather view draws them: an n x n terrain with a
 * temperature overlay, a new wind every sample (alternating two fields: a
 * westerly and a swirl around the centre), 65,536 particles stepped once a
 * frame. The update is timed around WindParticles.step (wrapped, not
 * replaced) plus a one-particle read-back that waits for the pass.
 */
async function runParticleBench(n: number, samples: number): Promise<ParticleBenchResult> {
  let onRender = (): void => {};
  let onReady = (): void => {};
  const { scene, close } = windowScene({ onRender: () => onRender(), onReady: () => onReady() });
  const renderer = scene.renderer;
  const gl = renderer.getContext() as WebGL2RenderingContext;

  let frameMs = 0;
  const render = renderer.render.bind(renderer);
  const pixel = new Uint8Array(4);
  renderer.render = (s, c) => {
    const t0 = performance.now();
    render(s, c);
    if (!renderer.getRenderTarget()) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    frameMs = performance.now() - t0;
  };
  let updateMs: number;
  const step = WindParticles.prototype.step;
  WindParticles.prototype.step = function (this: WindParticles, r, seconds, screen) {
    const t0 = performance.now();
    step.call(this, r, seconds, screen);
    this.sync(r);
    updateMs = performance.now() - t0;
  };
  const nextRender = () => new Promise<void>((resolve) => (onRender = resolve));

  try {
    const site = syntheticSite(n);
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    scene.setTerrain(site, { exaggeration: 3, hillshade: true });
    await ready;
    const cells = n * n;
    const temperature = new Float32Array(cells);
    for (let k = 0; k < cells; k++) temperature[k] = 8 - 0.0065 * site.elevation[k]!;
    scene.setOverlay(temperature, FIELD_STYLES.temperature.ramp, fieldScale('temperature', 5, 9));
    const winds = [0, 1].map((kind) => {
      const u = new Float32Array(cells);
      const v = new Float32Array(cells);
      for (let k = 0; k < cells; k++) {
        const x = (k % n) / n - 0.5;
        const y = Math.floor(k / n) / n - 0.5;
        u[k] = kind === 0 ? 10 : -30 * y;
        v[k] = kind === 0 ? 3 : -30 * x;
      }
      return { u, v };
    });
    for (let i = 0; i < 3; i++) {
      scene.setWind(winds[i % 2]!.u, winds[i % 2]!.v);
      await nextRender();
    }
    const result: ParticleBenchResult = {
      particles: DEFAULT_PARTICLE_COUNT,
      nx: n,
      ny: n,
      gpu: rendererName(gl),
      canvas: [gl.drawingBufferWidth, gl.drawingBufferHeight],
      update: [],
      setWind: [],
      frame: [],
      frameNoParticles: [],
    };
    for (let i = 0; i < samples; i++) {
      updateMs = NaN;
      const drawn = nextRender();
      const t0 = performance.now();
      scene.setWind(winds[i % 2]!.u, winds[i % 2]!.v);
      result.setWind.push(performance.now() - t0);
      await drawn;
      result.update.push(updateMs);
      result.frame.push(frameMs);
    }
    for (let i = 0; i < samples; i++) {
      const drawn = nextRender();
      scene.setParticlesVisible(false);
      await drawn;
      result.frameNoParticles.push(frameMs);
    }
    return result;
  } finally {
    WindParticles.prototype.step = step;
    close();
  }
}

window.runRenderBench = runRenderBench;
window.runParticleBench = runParticleBench;
