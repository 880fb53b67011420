/**
 * Velocity arrows on the water: one InstancedMesh of flat arrows, at most one
 * per block of `stride` x `stride` DEM cells (about {@link ARROWS_PER_SIDE}
 * blocks along the longer side), lying on the water surface at bed + depth.
 * Each block's arrow stands on its cell of largest discharge (depth x speed)
 * among those flooded and moving, so arrows follow the channels rain-on-grid
 * water gathers in rather than missing them between fixed sites. Each frame
 * rewrites the instance matrices and colours in place (direction from u and
 * v, length and colour from speed), packed to the front, and draws only
 * those: no geometry is rebuilt per frame; the scan is O(cells).
 *
 * The class owns its geometry, material and instance buffers; dispose()
 * frees them.
 */
import { BufferAttribute, BufferGeometry, Color, InstancedBufferAttribute, InstancedMesh, MeshBasicMaterial, SRGBColorSpace } from 'three';
import { sampleRamp, type RampStop } from './elevation-ramp';
import { FLOODED_DEPTH_M } from './flood-hazard';

/** Where DEM cells are in the world: terrain-grid.ts's CellFrame (repeated here so this module needs no engine types). */
export interface ArrowFrame {
  x0: number;
  z0: number;
  cellX: number;
  cellZ: number;
  maxCol: number;
  maxRow: number;
}

/** Arrows along the grid's longer side. */
export const ARROWS_PER_SIDE = 32;
/** Speed (m/s) at which an arrow reaches full length and colour: ARR 2019's H1-H4 speed limit. */
export const ARROW_FULL_SPEED = 2;
/** Water shallower than this (m), or slower than ARROW_MIN_SPEED (m/s), gets no arrow. */
export const ARROW_MIN_DEPTH_M = FLOODED_DEPTH_M;
export const ARROW_MIN_SPEED = 0.01;
/** Shortest arrow, as a share of the full length: slow flow still shows its direction. */
const MIN_LENGTH = 0.35;
/** Full arrow length as a share of the spacing between arrows. */
const FULL_LENGTH = 0.8;

/** White (still) to magenta (fast): reads over the blue depth ramp and the green-to-red hazard classes alike. */
export const ARROW_RAMP: readonly RampStop[] = [
  { at: 0, rgb: [0.97, 0.98, 1] },
  { at: 0.5, rgb: [0.98, 0.66, 0.83] },
  { at: 1, rgb: [0.91, 0.16, 0.54] },
];
const LUT_SIZE = 64;

/** A flat arrow on y = 0 pointing along +x, 1 long, centred on the origin. */
function arrowGeometry(): BufferGeometry {
  const shaft = 0.07;
  const head = 0.24;
  const neck = 0.12;
  // prettier-ignore
  const outline = [
    [-0.5, -shaft], [neck, -shaft], [neck, -head], [0.5, 0], [neck, head], [neck, shaft], [-0.5, shaft],
  ];
  const positions = new Float32Array(outline.flatMap(([x, z]) => [x!, 0, z!]));
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  // Shaft (0 1 5 6) and head (2 3 4), wound to face up (+y).
  geometry.setIndex([0, 6, 1, 1, 6, 5, 2, 4, 3]);
  return geometry;
}

export class FlowArrows {
  readonly mesh: InstancedMesh<BufferGeometry, MeshBasicMaterial>;
  private readonly stride: number;
  /** Blocks across and down. */
  private readonly bx: number;
  private readonly by: number;
  /** Per block, while scanning a frame: the largest discharge so far and its cell. */
  private readonly best: Float32Array;
  private readonly bestCell: Int32Array;
  private readonly fullLength: number;
  /** Linear-light colours of the speed ramp, LUT_SIZE entries. */
  private readonly lut: Float32Array;
  private flow: { depth: Float32Array; u: Float32Array; v: Float32Array } | null = null;
  private shown = true;

  /**
   * @param elevation the DEM (m, row-major, nx x ny), for the bed under each arrow
   * @param base elevation at world y = 0
   */
  constructor(
    private readonly frame: ArrowFrame,
    private readonly elevation: Float32Array,
    private readonly nx: number,
    private readonly ny: number,
    private readonly base: number,
    private exaggeration: number,
  ) {
    const stride = Math.max(1, Math.round(Math.max(nx, ny) / ARROWS_PER_SIDE));
    this.stride = stride;
    this.bx = Math.ceil(nx / stride);
    this.by = Math.ceil(ny / stride);
    this.best = new Float32Array(this.bx * this.by);
    this.bestCell = new Int32Array(this.bx * this.by);
    this.fullLength = FULL_LENGTH * stride * Math.min(frame.cellX, frame.cellZ);

    this.lut = new Float32Array(3 * LUT_SIZE);
    const srgb = new Float32Array(3);
    const color = new Color();
    for (let k = 0; k < LUT_SIZE; k++) {
      sampleRamp(k / (LUT_SIZE - 1), srgb, 0, ARROW_RAMP);
      color.setRGB(srgb[0]!, srgb[1]!, srgb[2]!, SRGBColorSpace);
      this.lut.set([color.r, color.g, color.b], 3 * k);
    }

    const count = this.bx * this.by;
    const material = new MeshBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.92, depthWrite: false });
    this.mesh = new InstancedMesh(arrowGeometry(), material, count);
    this.mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(3 * count), 3);
    this.mesh.name = 'flow-arrows';
    // Instances move every frame: a bounding sphere from the first would cull later ones.
    this.mesh.frustumCulled = false;
    // After the water (transparent, drawn in order) so arrows lie on it, not under it.
    this.mesh.renderOrder = 3;
    this.mesh.count = 0;
    this.mesh.visible = false;
  }

  /** Blocks, each with at most one arrow. */
  get blocks(): number {
    return this.bx * this.by;
  }

  /** Arrows drawn for the current flow. */
  get drawn(): number {
    return this.mesh.visible ? this.mesh.count : 0;
  }

  /** The flow at the frame on show (m and m/s per DEM cell, row 0 north), or none. */
  setFlow(depth: Float32Array | null, u?: Float32Array | null, v?: Float32Array | null): void {
    this.flow = depth && u && v ? { depth, u, v } : null;
    this.place();
  }

  /** The layer switch: hidden arrows keep the flow for when they are shown again. */
  setVisible(on: boolean): void {
    this.shown = on;
    this.place();
  }

  setExaggeration(exaggeration: number): void {
    this.exaggeration = exaggeration;
    this.place();
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.mesh.dispose();
    this.mesh.removeFromParent();
  }

  /** Rewrites the instances in place: one per block with flooded, moving water, packed first; count = how many. */
  private place(): void {
    const flow = this.flow;
    if (!flow || !this.shown) {
      this.mesh.visible = false;
      return;
    }
    const { depth, u, v } = flow;
    const { nx, ny, stride, bx, best, bestCell, elevation } = this;
    best.fill(0);
    bestCell.fill(-1);
    // Cells the terrain's surface reaches (a strided mesh may stop short of the last row and column).
    const lastRow = Math.min(ny - 1, this.frame.maxRow);
    const lastCol = Math.min(nx - 1, this.frame.maxCol);
    for (let r = 0; r <= lastRow; r++) {
      const row = Math.floor(r / stride) * bx;
      for (let c = 0; c <= lastCol; c++) {
        const i = r * nx + c;
        const d = depth[i]!;
        if (!(d >= ARROW_MIN_DEPTH_M)) continue;
        const speed = Math.sqrt(u[i]! * u[i]! + v[i]! * v[i]!);
        const q = d * speed;
        const b = row + Math.floor(c / stride);
        if (speed >= ARROW_MIN_SPEED && q > best[b]! && elevation[i] === elevation[i]) {
          best[b] = q;
          bestCell[b] = i;
        }
      }
    }
    const m = this.mesh.instanceMatrix.array as Float32Array;
    const colors = this.mesh.instanceColor!.array as Float32Array;
    const { x0, z0, cellX, cellZ } = this.frame;
    const ex = this.exaggeration;
    const lift = 0.04 * this.fullLength;
    /** World height of the water surface at cell (c, r), clamped to the grid; NaN on nodata. */
    const surface = (c: number, r: number) => {
      const k = Math.min(ny - 1, Math.max(0, r)) * nx + Math.min(nx - 1, Math.max(0, c));
      return (elevation[k]! - this.base + depth[k]!) * ex;
    };
    let n = 0;
    for (let b = 0; b < bestCell.length; b++) {
      const i = bestCell[b]!;
      if (i < 0) continue;
      const ue = u[i]!;
      const vn = v[i]!;
      const speed = Math.sqrt(ue * ue + vn * vn);
      const t = Math.min(1, speed / ARROW_FULL_SPEED);
      const s = this.fullLength * (MIN_LENGTH + (1 - MIN_LENGTH) * t);
      // Rotation about +y taking +x (east) to (u, -v) in world x, z (z points south).
      const cos = (ue / speed) * s;
      const sin = (vn / speed) * s;
      // Tilted to the surface from tail to tip, so a downhill arrow's tail does not sink into the slope.
      const [c, r] = [i % nx, Math.floor(i / nx)];
      const [dc, dr] = [Math.round((0.5 * cos) / cellX), Math.round((0.5 * sin) / cellZ)];
      const centre = surface(c, r);
      let tip = surface(c + dc, r - dr);
      let tail = surface(c - dc, r + dr);
      if (!(tip === tip && tail === tail)) tip = tail = centre;
      const o = 16 * n;
      m[o] = cos;
      m[o + 1] = tip - tail;
      m[o + 2] = -sin;
      m[o + 3] = 0;
      m[o + 4] = 0;
      m[o + 5] = s;
      m[o + 6] = 0;
      m[o + 7] = 0;
      m[o + 8] = sin;
      m[o + 9] = 0;
      m[o + 10] = cos;
      m[o + 11] = 0;
      m[o + 12] = x0 + c * cellX;
      m[o + 13] = Math.max(centre, (tip + tail) / 2) + lift;
      m[o + 14] = z0 + r * cellZ;
      m[o + 15] = 1;
      const k = 3 * Math.round(t * (LUT_SIZE - 1));
      colors[3 * n] = this.lut[k]!;
      colors[3 * n + 1] = this.lut[k + 1]!;
      colors[3 * n + 2] = this.lut[k + 2]!;
      n++;
    }
    this.mesh.count = n;
    this.mesh.instanceMatrix.needsUpdate = true;
    this.mesh.instanceColor!.needsUpdate = true;
    this.mesh.visible = n > 0;
  }
}
