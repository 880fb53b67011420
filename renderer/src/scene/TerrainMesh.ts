/**
 * The terrain surface: one vertex per grid point, hypsometric vertex colours
 * optionally multiplied by a hillshade, lit by the scene's lights. Triangles
 * touching nodata are left out, so holes stay holes.
 *
 * Buffers are allocated once per grid; changing the exaggeration or the
 * hillshade rewrites them in place.
 */
import {
  BufferAttribute,
  BufferGeometry,
  FrontSide,
  Mesh,
  MeshLambertMaterial,
  SRGBColorSpace,
  Color,
} from 'three';
import { NODATA_RGB, SEA_RGB, elevationScale, sampleRamp } from './elevation-ramp';
import { computeNormalsAndShade, type TerrainGrid } from './terrain-grid';

/** Hillshade factor on the ramp colour: shadowed slopes keep this much light. */
const SHADE_FLOOR = 0.4;
/** Hillshade of flat ground (sun 45 degrees up); flat ground keeps its ramp colour. */
const FLAT_SHADE = Math.SQRT1_2;

/** sRGB -> linear lookup (vertex colours are linear in three.js). */
const LINEAR = new Float32Array(1025);
{
  const c = new Color();
  for (let i = 0; i <= 1024; i++) {
    c.setRGB(i / 1024, 0, 0, SRGBColorSpace);
    LINEAR[i] = c.r;
  }
}
const toLinear = (v: number) => LINEAR[v >= 1 ? 1024 : v <= 0 ? 0 : (v * 1024 + 0.5) | 0]!;

export interface TerrainMeshOptions {
  exaggeration: number;
  hillshade: boolean;
}

export class TerrainMesh {
  readonly grid: TerrainGrid;
  readonly mesh: Mesh<BufferGeometry, MeshLambertMaterial>;
  private exaggeration: number;
  private hillshade: boolean;
  private readonly positions: Float32Array;
  private readonly normals: Float32Array;
  private readonly colors: Float32Array;
  /** Ramp colour per vertex, sRGB. */
  private readonly baseColors: Float32Array;
  private readonly shade: Float32Array;

  constructor(grid: TerrainGrid, options: TerrainMeshOptions) {
    this.grid = grid;
    this.exaggeration = options.exaggeration;
    this.hillshade = options.hillshade;
    const n = grid.cols * grid.rows;
    this.positions = new Float32Array(3 * n);
    this.normals = new Float32Array(3 * n);
    this.colors = new Float32Array(3 * n);
    this.baseColors = new Float32Array(3 * n);
    this.shade = new Float32Array(n);

    this.fillHorizontal();
    this.fillBaseColors();
    this.updateHeights();

    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(this.positions, 3));
    geometry.setAttribute('normal', new BufferAttribute(this.normals, 3));
    geometry.setAttribute('color', new BufferAttribute(this.colors, 3));
    geometry.setIndex(new BufferAttribute(buildIndex(grid), 1));
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
    const material = new MeshLambertMaterial({ vertexColors: true, side: FrontSide });
    this.mesh = new Mesh(geometry, material);
    this.mesh.name = 'terrain';
  }

  /** Width (x) and depth (z) of the surface in metres. */
  get size(): { width: number; depth: number } {
    return { width: (this.grid.cols - 1) * this.grid.dx, depth: (this.grid.rows - 1) * this.grid.dz };
  }

  /** Vertical exaggeration of the surface. */
  get verticalExaggeration(): number {
    return this.exaggeration;
  }

  /** Height in world units of the highest point (the lowest is at y = 0). */
  get top(): number {
    return (this.grid.max - this.grid.min) * this.exaggeration;
  }

  setExaggeration(exaggeration: number): void {
    if (exaggeration === this.exaggeration) return;
    this.exaggeration = exaggeration;
    this.updateHeights();
    const geometry = this.mesh.geometry;
    geometry.attributes.position!.needsUpdate = true;
    geometry.attributes.normal!.needsUpdate = true;
    geometry.attributes.color!.needsUpdate = true;
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
  }

  setHillshade(on: boolean): void {
    if (on === this.hillshade) return;
    this.hillshade = on;
    this.updateColors();
    this.mesh.geometry.attributes.color!.needsUpdate = true;
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.mesh.removeFromParent();
  }

  private fillHorizontal(): void {
    const { cols, rows, dx, dz } = this.grid;
    const x0 = -((cols - 1) * dx) / 2;
    const z0 = -((rows - 1) * dz) / 2;
    for (let j = 0, k = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++, k += 3) {
        this.positions[k] = x0 + i * dx;
        this.positions[k + 2] = z0 + j * dz;
      }
    }
  }

  private fillBaseColors(): void {
    const { heights, min, max } = this.grid;
    const { lo, hi, sea } = elevationScale(min, max);
    const span = hi - lo;
    for (let k = 0; k < heights.length; k++) {
      const h = heights[k]!;
      if (h !== h) this.baseColors.set(NODATA_RGB, 3 * k);
      else if (sea && h <= 0) this.baseColors.set(SEA_RGB, 3 * k);
      else sampleRamp((h - lo) / span, this.baseColors, 3 * k);
    }
  }

  private updateHeights(): void {
    const { heights, min } = this.grid;
    const e = this.exaggeration;
    for (let k = 0; k < heights.length; k++) {
      const h = heights[k]!;
      this.positions[3 * k + 1] = h === h ? (h - min) * e : 0;
    }
    computeNormalsAndShade(this.grid, e, this.normals, this.shade);
    this.updateColors();
  }

  private updateColors(): void {
    const { baseColors, colors, shade } = this;
    const n = shade.length;
    if (!this.hillshade) {
      for (let k = 0; k < 3 * n; k++) colors[k] = toLinear(baseColors[k]!);
      return;
    }
    const gain = (1 - SHADE_FLOOR) / FLAT_SHADE;
    for (let k = 0; k < n; k++) {
      const f = SHADE_FLOOR + gain * shade[k]!;
      colors[3 * k] = toLinear(baseColors[3 * k]! * f);
      colors[3 * k + 1] = toLinear(baseColors[3 * k + 1]! * f);
      colors[3 * k + 2] = toLinear(baseColors[3 * k + 2]! * f);
    }
  }
}

/** Two triangles per grid quad, counter-clockwise seen from above; none that touch nodata. */
function buildIndex(grid: TerrainGrid): Uint32Array {
  const { cols, rows, heights } = grid;
  const index = new Uint32Array((cols - 1) * (rows - 1) * 6);
  let n = 0;
  const ok = (k: number) => heights[k] === heights[k];
  for (let j = 0; j < rows - 1; j++) {
    for (let i = 0; i < cols - 1; i++) {
      const a = j * cols + i;
      const b = a + 1;
      const c = a + cols;
      const d = c + 1;
      const okB = ok(b);
      const okC = ok(c);
      if (ok(a) && okB && okC) {
        index[n++] = a;
        index[n++] = c;
        index[n++] = b;
      }
      if (okB && okC && ok(d)) {
        index[n++] = b;
        index[n++] = c;
        index[n++] = d;
      }
    }
  }
  return n === index.length ? index : index.slice(0, n);
}
