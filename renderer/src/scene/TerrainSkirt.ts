/**
 * Vertical walls from the terrain's edges down to a flat base, so the surface
 * reads as a solid block (as in a block diagram) rather than a floating sheet.
 * Follows the terrain's exaggeration; buffers are updated in place.
 */
import { BufferAttribute, BufferGeometry, Mesh, MeshLambertMaterial, SRGBColorSpace, Color } from 'three';
import type { TerrainGrid } from './terrain-grid';

const TOP_COLOR = new Color().setRGB(0.42, 0.35, 0.29, SRGBColorSpace);
const BOTTOM_COLOR = new Color().setRGB(0.2, 0.17, 0.15, SRGBColorSpace);

interface Side {
  /** Grid index of each edge vertex, in order along the edge. */
  vertices: number[];
  /** Outward horizontal normal. */
  normal: [number, number, number];
}

export class TerrainSkirt {
  readonly mesh: Mesh<BufferGeometry, MeshLambertMaterial>;
  private readonly grid: TerrainGrid;
  private readonly sides: Side[];
  private readonly positions: Float32Array;

  constructor(grid: TerrainGrid, exaggeration: number) {
    this.grid = grid;
    const { cols, rows } = grid;
    const range = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
    this.sides = [
      { vertices: range(cols, (i) => i), normal: [0, 0, -1] }, // north
      { vertices: range(cols, (i) => (rows - 1) * cols + i), normal: [0, 0, 1] }, // south
      { vertices: range(rows, (j) => j * cols), normal: [-1, 0, 0] }, // west
      { vertices: range(rows, (j) => j * cols + cols - 1), normal: [1, 0, 0] }, // east
    ];
    const count = this.sides.reduce((sum, side) => sum + 2 * side.vertices.length, 0);
    this.positions = new Float32Array(3 * count);
    const normals = new Float32Array(3 * count);
    const colors = new Float32Array(3 * count);
    const index: number[] = [];
    const x0 = -((cols - 1) * grid.dx) / 2;
    const z0 = -((rows - 1) * grid.dz) / 2;
    let first = 0;
    for (const side of this.sides) {
      side.vertices.forEach((k, t) => {
        const x = x0 + (k % cols) * grid.dx;
        const z = z0 + Math.floor(k / cols) * grid.dz;
        for (const [slot, color] of [
          [first + 2 * t, TOP_COLOR],
          [first + 2 * t + 1, BOTTOM_COLOR],
        ] as const) {
          this.positions[3 * slot] = x;
          this.positions[3 * slot + 2] = z;
          normals.set(side.normal, 3 * slot);
          colors[3 * slot] = color.r;
          colors[3 * slot + 1] = color.g;
          colors[3 * slot + 2] = color.b;
        }
      });
      // Quads between consecutive edge vertices, wound so their front faces point outward.
      const flip = this.windsInward(side, first);
      for (let t = 0; t < side.vertices.length - 1; t++) {
        const top0 = first + 2 * t;
        const bottom0 = top0 + 1;
        const top1 = top0 + 2;
        const bottom1 = top0 + 3;
        if (flip) index.push(top0, top1, bottom0, bottom0, top1, bottom1);
        else index.push(top0, bottom0, top1, bottom0, bottom1, top1);
      }
      first += 2 * side.vertices.length;
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(this.positions, 3));
    geometry.setAttribute('normal', new BufferAttribute(normals, 3));
    geometry.setAttribute('color', new BufferAttribute(colors, 3));
    geometry.setIndex(index);
    this.mesh = new Mesh(geometry, new MeshLambertMaterial({ vertexColors: true }));
    this.mesh.name = 'terrain-skirt';
    this.setExaggeration(exaggeration);
  }

  /** Depth of the base below the lowest point, in world units. */
  static baseDepth(grid: TerrainGrid, exaggeration: number): number {
    const extent = Math.max((grid.cols - 1) * grid.dx, (grid.rows - 1) * grid.dz);
    return Math.max(0.1 * (grid.max - grid.min) * exaggeration, 0.02 * extent);
  }

  setExaggeration(exaggeration: number): void {
    const { heights, min } = this.grid;
    const base = -TerrainSkirt.baseDepth(this.grid, exaggeration);
    let slot = 0;
    for (const side of this.sides) {
      for (const k of side.vertices) {
        const h = heights[k]!;
        this.positions[3 * slot + 1] = h === h ? (h - min) * exaggeration : base;
        this.positions[3 * (slot + 1) + 1] = base;
        slot += 2;
      }
    }
    const geometry = this.mesh.geometry;
    geometry.attributes.position!.needsUpdate = true;
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.mesh.removeFromParent();
  }

  /** True when the quad order top0, bottom0, top1 faces inward for this side. */
  private windsInward(side: Side, first: number): boolean {
    if (side.vertices.length < 2) return false;
    const p = this.positions;
    // top0 -> bottom0 points down (-y); top0 -> top1 runs along the edge.
    const ex = p[3 * (first + 2)]! - p[3 * first]!;
    const ez = p[3 * (first + 2) + 2]! - p[3 * first + 2]!;
    // (down) x (along) = (0,-1,0) x (ex,0,ez) = (-ez, 0, ex)
    const nx = -ez;
    const nz = ex;
    return nx * side.normal[0] + nz * side.normal[2] < 0;
  }
}
