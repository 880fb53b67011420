/**
 * What the renderer benchmark pages return to their Node drivers
 * (test/bench/render.ts, weather.ts, gpu.ts): plain data, compiled for the
 * page and for Node (which has no DOM types, so it cannot import the pages).
 */

export interface RenderBenchResult {
  nx: number;
  ny: number;
  /** The WebGL renderer string (SwiftShader here). */
  gpu: string;
  canvas: [number, number];
  /**
   * Per sample, ms: setWater() (copy + flag); the upload until the field is
   * on show (the scene's field work and the texture upload calls), all of it
   * and the most in one frame; the frames
   * that took (1, or one per band of a large field); the slowest of those
   * frames (render + upload, rasterised).
   */
  setWater: number[];
  upload: number[];
  uploadFrameMax: number[];
  framesToShow: number[];
  frame: number[];
  /** Frames redrawn without a new depth field, ms. */
  frameNoUpdate: number[];
  /**
   * The home view redrawn, ms, by how much of it holds water: the bench's
   * fields (water on most tiles), a valley flood (VALLEY_SHARE of the cells
   * wet) and no water; with the tiles the water was drawn on.
   */
  coverage: { water: string; tiles: number; wetTiles: number; frame: number[] }[];
  /** Frames with the ripples off and on (interleaved), and the flow texture's rebuild (main thread), ms; empty unless asked for. */
  frameRipplesOff: number[];
  frameRipplesOn: number[];
  flowUpdate: number[];
  /** The terrain's level of detail and what the renderer drew, at the home view and zoomed in. */
  detail?: { home: DetailSample; zoomed: DetailSample };
}

export interface DetailSample {
  /** Every tile at stride 1. */
  full: boolean;
  /** Vertices the terrain draws (surface, skirts, walls), and how many tiles are at each stride. */
  vertices: number;
  strides: Record<number, number>;
  /** renderer.info.render of the last frame: triangles and draw calls (terrain, water and all). */
  triangles: number;
  calls: number;
  /** Frames of this view redrawn (no new field), ms. */
  frame: number[];
  /** From the first wheel event until every tile was at its chosen level, ms (0 at the home view). */
  settle: number;
}

export interface ParticleBenchResult {
  particles: number;
  nx: number;
  ny: number;
  gpu: string;
  canvas: [number, number];
  /** Per sample, ms: the particle update (one ping-pong pass over every particle, waited for by reading one back). */
  update: number[];
  /** setWind() of a new weather frame on the main thread (u, v interleaved into the wind texture, flagged). */
  setWind: number[];
  /** The whole frame (terrain, temperature overlay, particles; the new wind's upload) until rasterised, and without particles. */
  frame: number[];
  frameNoParticles: number[];
}
