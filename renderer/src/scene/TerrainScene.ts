/**
 * The 3D terrain view: renderer, camera, orbit controls, lights and the
 * terrain meshes, drawn on demand from one requestAnimationFrame loop.
 *
 * Lifecycle: construct with a container (the canvas is appended to it),
 * setTerrain / setExaggeration / setHillshade / resetCamera as the user acts,
 * setWater / setProbes as a run streams and probes are dropped, setOverlay /
 * setWind as weather frames are shown, dispose() when the view goes away.
 * The loop runs every animation frame to measure the frame rate, but only
 * redraws when something changed, or while wind particles move, rain falls
 * or the water ripples (ripples on, water on show, the page visible).
 */
import {
  type Box3,
  Color,
  DirectionalLight,
  HemisphereLight,
  PerspectiveCamera,
  Raycaster,
  SRGBColorSpace,
  Scene,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { SiteData } from '@api';
import { Atmosphere } from './Atmosphere';
import { CAMERA_PRESETS, frameBox, viewDirection, type CameraPreset } from './camera-framing';
import type { RampStop } from './elevation-ramp';
import type { FieldScale } from './field-ramp';
import { FieldOverlay } from './FieldOverlay';
import { FlowArrows } from './FlowArrows';
import { FrameRateMeter } from './FrameRateMeter';
import { liftAboveGround } from './ground-clearance';
import { ProbeMarkers, type ProbeMarker } from './ProbeMarkers';
import { BUILD_MS_PER_FRAME, BUILD_SHARE_OF_FRAME, TerrainSurface, type LodState } from './TerrainSurface';
import { WaterLayer } from './WaterLayer';
import { WindParticles } from './WindParticles';

export interface ViewMetrics {
  /** Ground metres per CSS pixel at the orbit target. */
  metresPerPixel: number;
  /** Screen rotation of north, radians clockwise from up. */
  northAngle: number;
}

export interface TerrainSceneEvents {
  /** The frame rate changed (about twice a second). */
  onFps?(fps: number): void;
  /** The camera moved or the view was resized. */
  onView?(metrics: ViewMetrics): void;
  /**
   * A frame was drawn; `frames` counts all frames drawn so far, `memory` the
   * geometries (one per terrain tile level built, 2 more with probes) and
   * textures (the water's depth, once drawn) alive on the GPU; `particles`
   * the wind particles' steps and wind seconds advanced so far; `lod` the
   * terrain's level of detail in that frame (null: no terrain).
   */
  onRender?(frames: number, memory: Readonly<{ geometries: number; textures: number }>, particles: ParticleClock, lod: LodState | null): void;
  /** The terrain set by setTerrain has been drawn {@link READY_FRAMES} times. */
  onReady?(): void;
  /** The user clicked (without dragging) the terrain at this DEM cell. */
  onPick?(cell: { col: number; row: number }): void;
}

export interface ParticleClock {
  steps: number;
  /** Wind seconds the particles have been advanced, in all. */
  seconds: number;
}

export interface TerrainOptions {
  exaggeration: number;
  hillshade: boolean;
  /** Keep the current camera (the same terrain, reopened) instead of reframing. */
  keepCamera?: boolean;
}

/** Frames drawn after a new terrain before the view reports it ready. */
export const READY_FRAMES = 3;
/** Longest screen time one particle step covers: a slow frame slows the particles rather than making them jump. */
const MAX_PARTICLE_STEP_S = 0.1;
/** A press that moves less than this (CSS px) and is released within CLICK_MS is a click, not an orbit. */
const CLICK_SLOP = 5;
const CLICK_MS = 600;
/** Longest step of the ripple clock: a slow frame slows the ripples; a stall does not skip ahead. */
const MAX_RIPPLE_STEP_S = 0.25;
/** The directional light's intensity for the cartographic sun: the water's glint is scaled by the sun's against it. */
const SUN_INTENSITY = 1.6;
/** Share of what is left of an orbit move applied per 1/60 s (damping by time, so slow frames do not slow the move). */
const DAMPING = 0.12;
/**
 * Orbit damping eases a move out over some 150 frames, the last hundred
 * shifting the view by less than a pixel each, and every one of them redraws
 * millions of vertices on a large terrain. Once a frame moves the view less
 * than this (px), the rest of the move (a fraction of a pixel) is applied at once.
 */
const SETTLE_PX = 0.05;

const scratchColor = new Color();

export class TerrainScene {
  readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(38, 1, 1, 1e6);
  private readonly controls: OrbitControls;
  private readonly sun = new DirectionalLight(0xfff6e8, SUN_INTENSITY);
  private readonly sky = new HemisphereLight(0xe8eef7, 0x4a4036, 1.5);
  private readonly meter = new FrameRateMeter(1000);
  private readonly resizeObserver: ResizeObserver;
  /** Sky, sun light, fog, rain and clouds (Atmosphere.ts); the view mirrors its switches and inputs into it. */
  readonly atmosphere: Atmosphere;
  private terrain: TerrainSurface | null = null;
  /** Terrain tiles are still being built to the levels chosen: draw again next frame. */
  private detailPending = false;
  private water: WaterLayer | null = null;
  private markers: ProbeMarkers | null = null;
  private overlay: FieldOverlay | null = null;
  /** A field derived from the flood frames (max depth, hazard, arrival), shown instead of the water. */
  private floodOverlay: FieldOverlay | null = null;
  private arrows: FlowArrows | null = null;
  private floodOverlayOn = false;
  private arrowsVisible = true;
  private particles: WindParticles | null = null;
  private terrainData: SiteData | null = null;
  /** The named view the camera was last framed in (kept when a resize asks to frame again). */
  private preset: CameraPreset = 'south';
  private waterVisible = true;
  private overlayVisible = true;
  private particlesVisible = true;
  private hillshade = true;
  private ripples = false;
  /** Particle clock of the layers disposed with earlier terrains, so the reported clock never goes back. */
  private particleClockBase: ParticleClock = { steps: 0, seconds: 0 };
  private press: { x: number; y: number; time: number } | null = null;
  private frame = 0;
  private framesDrawn = 0;
  private dirty = true;
  private readyCountdown = 0;
  private needsFraming = false;
  private width = 0;
  private height = 0;
  private lastTime = 0;
  private readonly lastEye = new Vector3();
  private disposed = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: TerrainSceneEvents = {},
  ) {
    this.renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.domElement.classList.add('terrain-canvas');
    this.renderer.domElement.setAttribute('aria-label', 'Terrain 3D view');
    container.appendChild(this.renderer.domElement);

    this.scene.background = new Color(0x1b2129);
    this.scene.add(this.sky, this.sun, this.sun.target);
    this.atmosphere = new Atmosphere(this.scene, this.sun, this.sky, () => {
      this.placeSun();
      this.dirty = true;
    });

    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = DAMPING;
    this.controls.screenSpacePanning = false;
    this.controls.maxPolarAngle = (84 * Math.PI) / 180;
    this.controls.addEventListener('change', this.onControlsChange);

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
    document.addEventListener('visibilitychange', this.onVisibility);
    this.renderer.domElement.addEventListener('webglcontextrestored', this.onContextRestored);
    this.renderer.domElement.addEventListener('pointerdown', this.onPointerDown);
    this.renderer.domElement.addEventListener('pointerup', this.onPointerUp);
    this.frame = requestAnimationFrame(this.tick);
  }

  /** Frames drawn since construction. */
  get renderedFrames(): number {
    return this.framesDrawn;
  }

  setTerrain(data: SiteData, options: TerrainOptions): void {
    const keep = options.keepCamera === true && this.terrain !== null;
    this.clearTerrain();
    this.terrain = new TerrainSurface(data, options);
    const { grid, frame } = this.terrain;
    const { nx, ny } = data.georef;
    this.water = new WaterLayer(this.terrain, frame, nx, ny, options.exaggeration);
    this.water.setVisible(this.waterVisible);
    this.water.setRipples(this.ripples);
    this.hillshade = options.hillshade;
    this.overlay = new FieldOverlay(this.terrain, frame, nx, ny, options.hillshade);
    this.overlay.setVisible(this.overlayVisible);
    this.floodOverlay = new FieldOverlay(this.terrain, frame, nx, ny, options.hillshade, 'flood-overlay');
    this.floodOverlay.setVisible(this.waterVisible);
    this.floodOverlayOn = false;
    this.arrows = new FlowArrows(frame, data.elevation, nx, ny, grid.min, options.exaggeration);
    this.arrows.setVisible(this.arrowsVisible);
    this.scene.add(this.floodOverlay.mesh, this.arrows.mesh);
    const { width, depth } = this.terrain.size;
    this.markers = new ProbeMarkers(frame, data.elevation, nx, grid.min, Math.max(width, depth), options.exaggeration);
    this.scene.add(this.terrain.mesh, this.overlay.mesh, this.water.mesh, this.markers.group);
    // Wind particles are made with the first wind (their buffers are large and most terrains never see one).
    this.terrainData = data;
    this.atmosphere.setTerrain({ frame, elevation: data.elevation, nx, ny, base: grid.min, width, depth, top: this.terrain.top, exaggeration: options.exaggeration });
    this.placeSun();
    this.updateLimits();
    if (!keep) this.needsFraming = true;
    this.readyCountdown = READY_FRAMES;
    this.dirty = true;
  }

  clearTerrain(): void {
    this.atmosphere.clearTerrain();
    // The water and the overlays draw the terrain's tiles: they go first.
    this.water?.dispose();
    this.overlay?.dispose();
    this.floodOverlay?.dispose();
    this.arrows?.dispose();
    this.floodOverlay = null;
    this.arrows = null;
    if (this.particles) {
      this.particleClockBase = this.particleClock();
      this.particles.dispose();
    }
    this.markers?.dispose();
    this.terrain?.dispose();
    this.water = null;
    this.overlay = null;
    this.particles = null;
    this.terrainData = null;
    this.markers = null;
    this.terrain = null;
    this.detailPending = false;
    this.readyCountdown = 0;
    this.dirty = true;
  }

  setExaggeration(exaggeration: number): void {
    if (!this.terrain) return;
    const oldTop = this.terrain.top;
    this.terrain.setExaggeration(exaggeration);
    this.water?.setExaggeration(exaggeration);
    this.arrows?.setExaggeration(exaggeration);
    this.particles?.setExaggeration(exaggeration);
    this.markers?.setExaggeration(exaggeration);
    this.atmosphere.setExaggeration(exaggeration, this.terrain.top);
    // Keep the orbit target at the same relative height in the relief.
    if (oldTop > 0) this.controls.target.y *= this.terrain.top / oldTop;
    this.placeSun();
    this.controls.update();
    this.dirty = true;
  }

  setHillshade(on: boolean): void {
    this.hillshade = on;
    this.terrain?.setHillshade(on);
    this.overlay?.setShading(on);
    this.floodOverlay?.setShading(on);
    this.dirty = true;
  }

  /**
   * Water depth (m per DEM cell, as the engine's frames) over the terrain;
   * null: none. `flow`, the same frame's velocity (m/s east and north), makes
   * the ripples drift with the water.
   */
  setWater(depth: Float32Array | null, flow: { u: Float32Array; v: Float32Array } | null = null): void {
    this.water?.setDepth(depth);
    this.water?.setFlow(depth ? flow : null);
    this.dirty = true;
  }

  /** Animated ripples on the water; off, it is drawn calm and the view redraws only on change. */
  setRipples(on: boolean): void {
    this.ripples = on;
    this.water?.setRipples(on);
    this.dirty = true;
  }

  setWaterVisible(on: boolean): void {
    this.waterVisible = on;
    this.water?.setVisible(on && !this.floodOverlayOn);
    this.floodOverlay?.setVisible(on);
    this.dirty = true;
  }

  /**
   * A field derived from the flood frames (one value per DEM cell; NaN not
   * drawn) coloured by `ramp` over `scale`, in place of the water; null:
   * the water again. The water switch shows and hides either.
   */
  setFloodOverlay(values: Float32Array | null, ramp?: readonly RampStop[], scale?: FieldScale): void {
    this.floodOverlay?.setField(values, ramp, scale);
    this.floodOverlayOn = values !== null;
    this.water?.setVisible(this.waterVisible && !this.floodOverlayOn);
    this.dirty = true;
  }

  /** Velocity arrows for the flood frame on show (m, m/s per DEM cell); null: none. Returns the arrows drawn. */
  setArrows(depth: Float32Array | null, u?: Float32Array, v?: Float32Array): number {
    this.arrows?.setFlow(depth, u, v);
    this.dirty = true;
    return this.arrows?.drawn ?? 0;
  }

  setArrowsVisible(on: boolean): void {
    this.arrowsVisible = on;
    this.arrows?.setVisible(on);
    this.dirty = true;
  }

  /**
   * A scalar field (one value per DEM cell, as the engine's frames) draped on
   * the terrain, coloured by `ramp` over `scale`; null: none.
   */
  setOverlay(values: Float32Array | null, ramp?: readonly RampStop[], scale?: FieldScale): void {
    this.overlay?.setField(values, ramp, scale);
    this.overlay?.setShading(this.hillshade);
    this.dirty = true;
  }

  setOverlayVisible(on: boolean): void {
    this.overlayVisible = on;
    this.overlay?.setVisible(on);
    this.dirty = true;
  }

  /** The wind the particles follow (m/s east and north per DEM cell); null: no particles. */
  setWind(u: Float32Array | null, v: Float32Array | null): void {
    if (u && v && !this.particles && this.terrain && this.terrainData) {
      const data = this.terrainData;
      const { width, depth } = this.terrain.size;
      const exaggeration = this.terrain.verticalExaggeration;
      this.particles = new WindParticles(this.terrain.frame, data.elevation, data.georef.nx, data.georef.ny, [data.georef.dxMetres, data.georef.dyMetres], this.terrain.grid.min, Math.max(width, depth), exaggeration);
      this.particles.setVisible(this.particlesVisible);
      this.scene.add(this.particles.lines);
    }
    this.particles?.setWind(u, v);
    this.dirty = true;
  }

  setParticlesVisible(on: boolean): void {
    this.particlesVisible = on;
    this.particles?.setVisible(on);
    this.dirty = true;
  }

  /** The particles' steps and wind seconds advanced since this view was made. */
  particleClock(): ParticleClock {
    const base = this.particleClockBase;
    const p = this.particles;
    return p ? { steps: base.steps + p.steps, seconds: base.seconds + p.seconds } : { ...base };
  }

  setProbes(markers: ProbeMarker[]): void {
    this.markers?.set(markers);
    this.dirty = true;
  }

  /** Where the camera is and looks (world units) and its vertical field of view (degrees), as last drawn. */
  get cameraPose(): { position: [number, number, number]; target: [number, number, number]; fov: number } {
    return { position: this.camera.position.toArray(), target: this.controls.target.toArray(), fov: this.camera.fov };
  }

  /** The terrain's level of detail as last drawn, or null without a terrain. */
  get lod(): LodState | null {
    return this.terrain?.lod() ?? null;
  }

  /** The DEM cell under a point of the canvas (client coordinates), or null off the terrain: the full-resolution DEM's, whatever level is drawn. */
  pickCell(clientX: number, clientY: number): { col: number; row: number } | null {
    if (!this.terrain) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    const pointer = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const raycaster = new Raycaster();
    raycaster.setFromCamera(pointer, this.camera);
    return this.terrain.pick(raycaster.ray);
  }

  /** Draws the current state now and returns the canvas as a PNG. */
  capture(): Promise<Blob> {
    this.updateClipPlanes();
    this.atmosphere.beforeRender(this.camera, this.camera.position.distanceTo(this.controls.target));
    this.renderer.render(this.scene, this.camera);
    return new Promise((resolve, reject) =>
      this.renderer.domElement.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png'),
    );
  }

  setBackground(color: string): void {
    (this.scene.background as Color).set(color);
    this.atmosphere.setBackground(color);
    this.dirty = true;
  }

  /** Frames the whole terrain (and its base) in a named view; the home view is from the south. */
  resetCamera(preset: CameraPreset = 'south'): void {
    this.preset = preset;
    if (!this.terrain || this.width === 0 || this.height === 0) {
      this.needsFraming = true;
      return;
    }
    this.needsFraming = false;
    const box = this.contentBox();
    const radius = box.getSize(new Vector3()).length() / 2;
    this.camera.near = radius * 1e-3;
    this.camera.far = radius * 100;
    this.camera.aspect = this.width / this.height;
    const { azimuth, polar } = CAMERA_PRESETS[preset];
    const pose = frameBox(this.camera, box, viewDirection(azimuth, polar), 0.94);
    this.controls.target.copy(pose.target);
    this.camera.position.copy(pose.position);
    this.controls.update();
    this.dirty = true;
    this.emitView();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.renderer.domElement.removeEventListener('webglcontextrestored', this.onContextRestored);
    this.renderer.domElement.removeEventListener('pointerdown', this.onPointerDown);
    this.renderer.domElement.removeEventListener('pointerup', this.onPointerUp);
    this.resizeObserver.disconnect();
    this.controls.removeEventListener('change', this.onControlsChange);
    this.controls.dispose();
    this.clearTerrain();
    this.atmosphere.dispose();
    this.sun.dispose();
    this.sky.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.renderer.domElement.remove();
  }

  private readonly tick = (now: number): void => {
    if (this.disposed) return;
    this.frame = requestAnimationFrame(this.tick);
    if (this.meter.tick(now) && this.meter.fps !== null) this.events.onFps?.(this.meter.fps);
    const delta = this.lastTime ? (now - this.lastTime) / 1000 : 0;
    this.lastTime = now;
    if (this.needsFraming) this.resetCamera(this.preset);
    // A frame of a second (a large terrain on a weak GPU) eases the move as far as sixty frames of 1/60 s would.
    this.controls.dampingFactor = 1 - (1 - DAMPING) ** (Math.min(Math.max(delta, 1 / 60), 1) * 60);
    this.controls.update(delta);
    if (this.terrain && liftAboveGround(this.camera, this.terrain.grid, this.terrain.frame, this.terrain.verticalExaggeration)) this.onControlsChange();
    this.endDamping();
    const moving = this.particles?.active === true && this.terrain !== null;
    const raining = this.atmosphere.animating && this.terrain !== null;
    // Browsers pause animation frames in hidden pages, but not every host does (Electron may not).
    const rippling = this.water?.animating === true && document.visibilityState === 'visible';
    if (!this.dirty && !moving && !raining && !rippling && !this.detailPending && !this.fieldsPending && this.readyCountdown === 0) return;
    this.dirty = false;
    if (moving) {
      const screen = Math.min(delta, MAX_PARTICLE_STEP_S);
      this.particles!.step(this.renderer, screen * this.particles!.timeScale, screen);
    }
    if (raining) this.atmosphere.step(Math.min(delta, MAX_PARTICLE_STEP_S));
    if (rippling) this.water!.advance(Math.min(delta, MAX_RIPPLE_STEP_S));
    this.updateClipPlanes();
    this.updateDetail(delta);
    this.uploadFields();
    this.atmosphere.beforeRender(this.camera, this.camera.position.distanceTo(this.controls.target));
    this.renderer.render(this.scene, this.camera);
    this.framesDrawn++;
    this.events.onRender?.(this.framesDrawn, this.renderer.info.memory, this.particleClock(), this.lod);
    if (this.readyCountdown > 0 && this.terrain && !this.needsFraming && --this.readyCountdown === 0) {
      this.events.onReady?.();
    }
  };

  private readonly onControlsChange = (): void => {
    this.dirty = true;
    this.emitView();
  };

  private readonly onPointerDown = (event: PointerEvent): void => {
    this.press = event.button === 0 && event.isPrimary ? { x: event.clientX, y: event.clientY, time: event.timeStamp } : null;
  };

  private readonly onPointerUp = (event: PointerEvent): void => {
    const press = this.press;
    this.press = null;
    if (!press || event.button !== 0 || !this.events.onPick) return;
    const moved = Math.hypot(event.clientX - press.x, event.clientY - press.y);
    if (moved > CLICK_SLOP || event.timeStamp - press.time > CLICK_MS) return;
    const cell = this.pickCell(event.clientX, event.clientY);
    if (cell) this.events.onPick(cell);
  };

  private readonly onVisibility = (): void => {
    this.meter.reset();
    this.lastTime = 0;
  };

  /** three.js re-uploads buffers after a lost context comes back; draw again then. */
  private readonly onContextRestored = (): void => {
    this.dirty = true;
  };

  private resize(): void {
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    if (width === 0 || height === 0) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
    this.emitView();
  }

  /** Ends the orbit's damping once it moves the view by less than SETTLE_PX a frame. */
  private endDamping(): void {
    const moved = this.camera.position.distanceTo(this.lastEye);
    this.lastEye.copy(this.camera.position);
    if (moved === 0 || this.height === 0) return;
    const distance = this.camera.position.distanceTo(this.controls.target);
    const px = (moved / distance) * (this.height / (2 * Math.tan((this.camera.fov * Math.PI) / 360)));
    if (px >= SETTLE_PX) return;
    // Without damping, one update applies what is left of the move and clears it.
    this.controls.enableDamping = false;
    this.controls.update();
    this.controls.enableDamping = true;
    this.lastEye.copy(this.camera.position);
  }

  /** Terrain plus its base, in world units. */
  private contentBox(): Box3 {
    return this.terrain!.box();
  }

  /**
   * True while the water or an overlay on show is not yet the last field set:
   * a large field is uploaded a band per drawn frame (StreamedCellTexture),
   * and the one before stays on show meanwhile.
   */
  get fieldsPending(): boolean {
    return this.water?.pending === true || this.overlay?.pending === true || this.floodOverlay?.pending === true;
  }

  private uploadFields(): void {
    this.water?.upload(this.renderer);
    this.overlay?.upload(this.renderer);
    this.floodOverlay?.upload(this.renderer);
  }

  /**
   * The terrain tiles' levels for the camera as it is now; all built at once
   * until the terrain is reported ready, so its first frames are complete,
   * then in a worker, or where there is none for a share of the last frame's
   * time (`delta`, s).
   */
  private updateDetail(delta: number): void {
    if (!this.terrain) return;
    this.camera.updateMatrixWorld();
    const buildMs = this.readyCountdown > 0 ? Infinity : Math.max(BUILD_MS_PER_FRAME, BUILD_SHARE_OF_FRAME * delta * 1000);
    this.terrain.update(this.camera, this.renderer.domElement.height, buildMs);
    this.detailPending = this.terrain.pending > 0;
  }

  private placeSun(): void {
    if (!this.terrain) return;
    const { width, depth } = this.terrain.size;
    const reach = Math.max(width, depth) * 2;
    // The cartographic sun, or the real one with the sky on.
    const [x, y, z] = this.atmosphere.lightDirection;
    this.sun.position.set(x * reach, y * reach, z * reach);
    this.sun.target.position.set(0, 0, 0);
    // The water's glint follows the same sun, its Fresnel reflection the sky light's colour.
    const { r, g, b } = this.sky.color.getRGB(scratchColor, SRGBColorSpace);
    this.water?.setLight([x, y, z], this.sun.intensity / SUN_INTENSITY, [r, g, b]);
  }

  private updateLimits(): void {
    if (!this.terrain) return;
    const { width, depth } = this.terrain.size;
    const extent = Math.max(width, depth);
    this.controls.minDistance = extent * 0.02;
    this.controls.maxDistance = extent * 6;
  }

  /** Near and far planes follow the orbit distance, for depth precision close up. */
  private updateClipPlanes(): void {
    const distance = this.camera.position.distanceTo(this.controls.target);
    const near = Math.max(distance * 0.01, 0.1);
    const far = distance * 4 + (this.terrain ? Math.max(this.terrain.size.width, this.terrain.size.depth) * 4 : 1e5);
    if (Math.abs(near - this.camera.near) > 1e-6 * near || far !== this.camera.far) {
      this.camera.near = near;
      this.camera.far = far;
      this.camera.updateProjectionMatrix();
    }
  }

  private emitView(): void {
    if (this.height === 0) return;
    const distance = this.camera.position.distanceTo(this.controls.target);
    const visibleHeight = 2 * distance * Math.tan((this.camera.fov * Math.PI) / 360);
    this.events.onView?.({
      metresPerPixel: visibleHeight / this.height,
      northAngle: this.controls.getAzimuthalAngle(),
    });
  }
}
