/**
 * The terrain surface with level of detail: the DEM cut into tiles
 * (terrain-tiles.ts), each drawn at the stride its screen-space error calls
 * for under a vertex budget (lod-select.ts), its levels built on first need
 * from the full-resolution DEM (terrain-tile-level.ts), in a worker once the
 * first frames are on show (terrain-level-builder.ts), and kept in a
 * least-recently-used cache with a memory cap. Hypsometric vertex colours,
 * optionally shaded, lit by the scene's lights; walls round the border down
 * to a flat base, so the terrain reads as a block.
 *
 * Every layer draped on the terrain draws the same tiles through
 * createLayer(); when a tile changes level, all of them follow. Ground
 * queries (picking) use the full-resolution DEM, never the level on show.
 *
 * Lifecycle: construct with the site, update(camera) before each frame,
 * setExaggeration / setHillshade as the user acts, dispose() when the site
 * goes: it frees every level it built.
 */
import {
  Box3,
  BufferAttribute,
  BufferGeometry,
  FrontSide,
  Frustum,
  Matrix4,
  MeshLambertMaterial,
  Vector3,
  type Material,
  type PerspectiveCamera,
  type Ray,
} from 'three';
import { useCentroidVaryings } from './centroid-varyings';
import { intersectGround } from './ground-ray';
import { MAX_ERROR_PX, VERTEX_BUDGET, selectLevels, type TileOptions } from './lod-select';
import { LruCache } from './lru-cache';
import { pixelsPerUnit, tileOptions, tileRelief, type Box, type TileRelief } from './screen-error';
import { SurfaceLayer } from './SurfaceLayer';
import { cellFrame, terrainGrid, worldToCell, type CellFrame, type SiteDem, type TerrainGrid } from './terrain-grid';
import { TileLevelBuilder } from './terrain-level-builder';
import { baseDepth, buildTileLevel, fillLook, type SurfaceLook, type TileLevelData } from './terrain-tile-level';
import { levelKey, tileLayout, type Tile } from './terrain-tiles';

/**
 * Memory the cached levels may hold (vertex and index buffers, each held
 * twice: in the GPU and in JavaScript). About twice what the vertex budget
 * draws, so turning back to a view just left finds its levels still built.
 */
export const CACHE_BYTES = 384 * 2 ** 20;
/**
 * Main-thread time a frame may spend building levels once the terrain is on
 * show, where no worker builds them (the rest wait for the next frames):
 * half a 60 Hz frame, or a quarter
 * of the frame time where frames are slower anyway (a software renderer), so
 * the tiles in view refine in a few frames either way.
 */
export const BUILD_MS_PER_FRAME = 8;
export const BUILD_SHARE_OF_FRAME = 0.25;

export interface SurfaceOptions {
  exaggeration: number;
  hillshade: boolean;
}

/** The level of detail on show, for the status bar and tests. */
export interface LodState {
  /** Tiles along x and z; `strides` lists each tile's stride, row-major from the north-west. */
  tilesX: number;
  tilesZ: number;
  strides: number[];
  /** Vertices the terrain draws (surface, skirts and walls) and the budget they keep to. */
  vertices: number;
  budget: number;
  /** True when every tile is drawn at stride 1. */
  full: boolean;
  /** Tiles still drawn at another level than the one chosen (being built). */
  pending: number;
}

interface TileLevel {
  data: TileLevelData;
  geometry: BufferGeometry;
  bytes: number;
}

const frustum = new Frustum();
const viewProjection = new Matrix4();
const tileBox = new Box3();
const scratchMin = new Vector3();
const scratchMax = new Vector3();

export class TerrainSurface {
  readonly grid: TerrainGrid;
  readonly frame: CellFrame;
  readonly tiles: readonly Tile[];
  readonly tilesX: number;
  readonly tilesZ: number;
  /** The terrain's own layer (surface, skirts and walls); add it to the scene. */
  readonly mesh: SurfaceLayer<MeshLambertMaterial>;
  private readonly relief: TileRelief[];
  /** Each tile's geometric error per level (m), once the builder has measured them; the relief's estimate until then. */
  private errors: Float32Array[] | null = null;
  private readonly boxes: Box[];
  private readonly layers = new Set<SurfaceLayer>();
  private readonly cache: LruCache<number, TileLevel>;
  /** The level drawn for each tile, and the level chosen for it. */
  private readonly current: TileLevel[];
  private wanted: number[];
  /** Each tile's screen-space error at its chosen level: the most visible are built first. */
  private wantedErrors: number[] = [];
  /** Builds the levels after the first frames. */
  private readonly builder: TileLevelBuilder;
  private look: SurfaceLook;
  /** The view the levels were last chosen for. */
  private readonly chosenFor = new Matrix4();
  private readonly chosenProjection = new Matrix4();
  private chosenHeight = -1;

  constructor(data: SiteDem, options: SurfaceOptions) {
    this.grid = terrainGrid(data);
    this.frame = cellFrame(this.grid);
    const layout = tileLayout(this.grid.cols, this.grid.rows);
    this.tiles = layout.tiles;
    this.tilesX = layout.tilesX;
    this.tilesZ = layout.tilesZ;
    this.look = { exaggeration: options.exaggeration, hillshade: options.hillshade };
    this.cache = new LruCache(
      CACHE_BYTES,
      (level) => level.bytes,
      (level) => level.geometry.dispose(),
    );
    this.relief = this.tiles.map((tile) => tileRelief(this.grid, tile));
    this.boxes = this.tiles.map(() => ({ min: [0, 0, 0], max: [0, 0, 0] }));
    this.placeBoxes();
    // Every tile starts coarsest (a few vertices, built now) and refines on the first update.
    this.wanted = this.tiles.map((tile) => tile.levels - 1);
    this.current = this.tiles.map((tile, i) => this.level(tile, this.wanted[i]!));
    this.builder = new TileLevelBuilder(
      this.grid,
      this.tiles,
      (built) => this.onBuilt(built),
      (errors) => {
        this.errors = errors;
        // Chosen again on the next update, whatever the camera.
        this.chosenHeight = -1;
      },
    );
    const material = new MeshLambertMaterial({ vertexColors: true, side: FrontSide });
    useCentroidVaryings(material);
    this.mesh = this.makeLayer(material, 'terrain', true);
  }

  /**
   * A layer drawing `material` on the surface's tiles (not on the skirts or
   * walls), following their levels; add it to the scene. Its dispose()
   * detaches it; the material stays the caller's.
   */
  createLayer<M extends Material>(material: M, name: string): SurfaceLayer<M> {
    const layer = this.makeLayer(material, name, false);
    this.layers.add(layer);
    return layer;
  }

  /** Width (x) and depth (z) of the surface in world units. */
  get size(): { width: number; depth: number } {
    return { width: (this.grid.cols - 1) * this.grid.dx, depth: (this.grid.rows - 1) * this.grid.dz };
  }

  get verticalExaggeration(): number {
    return this.look.exaggeration;
  }

  /** Height in world units of the highest point (the lowest is at y = 0). */
  get top(): number {
    return (this.grid.max - this.grid.min) * this.look.exaggeration;
  }

  /** The block the terrain fills: surface, walls and base. */
  box(): Box3 {
    const { width, depth } = this.size;
    const { x0, z0 } = this.frame;
    return new Box3(new Vector3(x0, -baseDepth(this.grid, this.look.exaggeration), z0), new Vector3(x0 + width, this.top, z0 + depth));
  }

  /** The DEM cell where a ray first meets the full-resolution surface, or null. */
  pick(ray: Ray): { col: number; row: number } | null {
    const point = intersectGround(this.grid, this.frame, this.look.exaggeration, ray);
    return point ? worldToCell(this.frame, point.x, point.z) : null;
  }

  /**
   * Tiles not yet drawn at their chosen level, or drawn with quick shading
   * until rebuilt, plus one while their errors are being measured (the
   * levels chosen meanwhile are provisional).
   */
  get pending(): number {
    let n = this.errors ? 0 : 1;
    for (let i = 0; i < this.tiles.length; i++) if (this.stale(i)) n++;
    return n;
  }

  lod(): LodState {
    const strides = this.current.map((level) => level.data.stride);
    let vertices = 0;
    for (const level of this.current) vertices += level.data.vertexCount;
    return {
      tilesX: this.tilesX,
      tilesZ: this.tilesZ,
      strides,
      vertices,
      budget: VERTEX_BUDGET,
      full: strides.every((s) => s === 1),
      pending: this.pending,
    };
  }

  /**
   * Chooses each tile's level for this camera (its matrices current) and a
   * drawing buffer `heightPx` tall, and puts the chosen levels on show:
   * cached ones at once; new ones, largest error first, all built now when
   * `buildMs` is Infinity, else asked of the builder (a worker, or the main
   * thread for at most `buildMs`). Tiles waiting for their level show their
   * nearest coarser cached level meanwhile, and `pending` counts them.
   */
  update(camera: PerspectiveCamera, heightPx: number, buildMs = BUILD_MS_PER_FRAME): void {
    const moved = !this.chosenFor.equals(camera.matrixWorld) || !this.chosenProjection.equals(camera.projectionMatrix) || heightPx !== this.chosenHeight;
    if (moved) {
      this.chosenFor.copy(camera.matrixWorld);
      this.chosenProjection.copy(camera.projectionMatrix);
      this.chosenHeight = heightPx;
      const options = this.options(camera, heightPx);
      this.wanted = selectLevels(options, VERTEX_BUDGET, MAX_ERROR_PX);
      this.wantedErrors = options.map((o, i) => o.errors[this.wanted[i]!]!);
    }
    const order = this.tiles.map((_, i) => i).filter((i) => this.stale(i));
    if (order.length === 0) return;
    order.sort((a, b) => this.wantedErrors[b]! - this.wantedErrors[a]!);
    if (buildMs === Infinity) {
      for (const i of order) this.show(i, this.level(this.tiles[i]!, this.wanted[i]!));
    } else {
      const builder = this.builder;
      for (const i of order) {
        if (builder.room === 0) break;
        const tile = this.tiles[i]!;
        const wanted = this.wanted[i]!;
        if (!this.cached(levelKey(tile, wanted)) && !builder.has(tile, wanted)) builder.request(tile, wanted, this.look);
      }
      // Main-thread builds (no worker) land in the cache now, through onBuilt.
      builder.flush(buildMs);
      for (const i of order) {
        const tile = this.tiles[i]!;
        const wanted = this.wanted[i]!;
        let level = this.cache.get(levelKey(tile, wanted));
        // Meanwhile: the nearest coarser level built, or the coarsest (a few vertices, built at once).
        for (let l = wanted + 1; !level && l < tile.levels; l++) if (this.cache.has(levelKey(tile, l))) level = this.cache.get(levelKey(tile, l));
        this.show(i, level ?? this.level(tile, tile.levels - 1));
      }
    }
    this.cache.trim((level) => this.current[level.data.tile.index] === level);
  }

  setExaggeration(exaggeration: number): void {
    if (exaggeration === this.look.exaggeration) return;
    this.restyle({ ...this.look, exaggeration });
    this.placeBoxes();
    this.chosenHeight = -1;
  }

  setHillshade(on: boolean): void {
    if (on === this.look.hillshade) return;
    this.restyle({ ...this.look, hillshade: on });
  }

  /** Frees every level built (the layers' materials are their owners') and stops the builder. */
  dispose(): void {
    this.builder.dispose();
    for (const layer of [...this.layers]) layer.dispose();
    this.mesh.dispose();
    this.mesh.material.dispose();
    // The levels on show are cached too (trim() spares them): this frees every one.
    this.cache.clear();
  }

  private makeLayer<M extends Material>(material: M, name: string, withSkirts: boolean): SurfaceLayer<M> {
    const geometries = this.current.map((level) => level.geometry);
    return new SurfaceLayer(material, name, geometries, withSkirts, (layer) => this.layers.delete(layer));
  }

  /** Each tile's vertex count and screen-space error per level for this view. */
  private options(camera: PerspectiveCamera, heightPx: number): TileOptions[] {
    viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    frustum.setFromProjectionMatrix(viewProjection);
    const m = camera.matrixWorld.elements;
    return tileOptions(this.tiles, this.relief, this.errors, this.boxes, Math.max(this.grid.dx, this.grid.dz), this.look.exaggeration, {
      eye: [m[12]!, m[13]!, m[14]!],
      pxPerUnit: pixelsPerUnit(camera.fov, heightPx),
      near: camera.near,
      inView: (box) => frustum.intersectsBox(tileBox.set(scratchMin.fromArray(box.min), scratchMax.fromArray(box.max))),
    });
  }

  /** World boxes of the tiles for the current exaggeration (walls down to the base on the border). */
  private placeBoxes(): void {
    const { x0, z0 } = this.frame;
    const { dx, dz, min } = this.grid;
    const e = this.look.exaggeration;
    const base = -baseDepth(this.grid, e);
    this.tiles.forEach((tile, i) => {
      const r = this.relief[i]!;
      const border = !(tile.north && tile.south && tile.west && tile.east);
      this.boxes[i] = {
        min: [x0 + tile.col0 * dx, border ? base : (r.min - min) * e - Math.min(dx, dz), z0 + tile.row0 * dz],
        max: [x0 + (tile.col0 + tile.spanX) * dx, (r.max - min) * e, z0 + (tile.row0 + tile.spanZ) * dz],
      };
    });
  }

  /** Whether a tile is drawn at another level than chosen, or with quick shading (to be rebuilt). */
  private stale(i: number): boolean {
    const { data } = this.current[i]!;
    return data.level !== this.wanted[i] || data.quickShade;
  }

  /** The cached level for a key, unless there is none or it only stands in (quick shading). */
  private cached(key: number): TileLevel | undefined {
    const level = this.cache.get(key);
    return level?.data.quickShade ? undefined : level;
  }

  /** A tile's level from the cache, or built now (and cached); its buffers in the current look. */
  private level(tile: Tile, level: number): TileLevel {
    return this.cached(levelKey(tile, level)) ?? this.adopt(buildTileLevel(this.grid, tile, level, this.look));
  }

  /**
   * A level from the builder: cached, and shown if its tile still wants it
   * or shows the quickly shaded stand-in it replaces. One built for a look
   * since changed is dropped (the tile asks again), and so is one already
   * cached (built meanwhile on the main thread).
   */
  private onBuilt(data: TileLevelData): void {
    if (data.look.exaggeration !== this.look.exaggeration || data.look.hillshade !== this.look.hillshade) return;
    const key = levelKey(data.tile, data.level);
    const standIn = this.cache.get(key);
    if (standIn && !standIn.data.quickShade) return;
    const i = data.tile.index;
    const shown = standIn !== undefined && this.current[i] === standIn;
    // Caching it frees the stand-in's buffers; a tile showing the stand-in shows this instead.
    const level = this.adopt(data);
    if (this.wanted[i] === data.level || shown) this.show(i, level);
  }

  /** Wraps a level's buffers in a geometry and caches it. */
  private adopt(data: TileLevelData): TileLevel {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(data.positions, 3));
    geometry.setAttribute('normal', new BufferAttribute(data.normals, 3));
    geometry.setAttribute('color', new BufferAttribute(data.colors, 3));
    geometry.setIndex(new BufferAttribute(data.index, 1));
    // Group 0: the surface (every layer); group 1: skirts and walls (the terrain alone).
    geometry.addGroup(0, data.surfaceIndexCount, 0);
    geometry.addGroup(data.surfaceIndexCount, data.index.length - data.surfaceIndexCount, 1);
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
    const bytes = 2 * (data.positions.byteLength + data.normals.byteLength + data.colors.byteLength + data.index.byteLength);
    const built = { data, geometry, bytes };
    this.cache.set(levelKey(data.tile, data.level), built);
    return built;
  }

  /** Puts a level on show for a tile, in every layer, refreshed to the current look. */
  private show(i: number, level: TileLevel): void {
    if (this.current[i] === level) return;
    this.refresh(level);
    this.current[i] = level;
    this.mesh.setGeometry(i, level.geometry);
    for (const layer of this.layers) layer.setGeometry(i, level.geometry);
  }

  private restyle(look: SurfaceLook): void {
    this.look = look;
    for (const level of this.current) this.refresh(level);
  }

  /** Rewrites a level's heights, normals and colours if they were made for another look. */
  private refresh(level: TileLevel): void {
    const { data, geometry } = level;
    if (data.look.exaggeration === this.look.exaggeration && data.look.hillshade === this.look.hillshade) return;
    const moved = data.look.exaggeration !== this.look.exaggeration;
    // Quickly, for every level on show at once; the builder relights them properly after (see stale()).
    fillLook(this.grid, data, this.look, 'vertex');
    geometry.attributes.color!.needsUpdate = true;
    if (!moved) return;
    geometry.attributes.position!.needsUpdate = true;
    geometry.attributes.normal!.needsUpdate = true;
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
  }
}
