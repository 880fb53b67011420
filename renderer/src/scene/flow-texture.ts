/**
 * The flood's velocity as the water's ripples read it: a small half-float
 * texture (at most {@link FLOW_TEXELS_PER_SIDE} texels a side), each texel
 * the mean velocity of the wet cells in its block of DEM cells, filtered
 * linearly. Ripples only drift with the flow, so a coarse, smooth field is
 * what they need: a per-cell, nearest-sampled one would tear their pattern
 * at cell edges, and averaging only wet cells keeps a narrow channel's speed
 * from being diluted by the dry banks beside it.
 *
 * Rebuilding it is one pass over the cells and an upload of a few hundred
 * kilobytes, done only while ripples are on.
 */
import { DataTexture, DataUtils, HalfFloatType, LinearFilter, RGFormat } from 'three';

export const FLOW_TEXELS_PER_SIDE = 256;

/** How DEM cells group into texels: `block` x `block` cells each, `bx` x `by` texels. */
export interface FlowBlocks {
  block: number;
  bx: number;
  by: number;
}

export function flowBlocks(nx: number, ny: number, maxSide = FLOW_TEXELS_PER_SIDE): FlowBlocks {
  const block = Math.max(1, Math.ceil(Math.max(nx, ny) / maxSide));
  return { block, bx: Math.ceil(nx / block), by: Math.ceil(ny / block) };
}

/**
 * The mean (u, v) of the cells deeper than `minDepth` in each block (m/s east
 * and north, row 0 north), interleaved into `out` (2 per texel); 0 where a
 * block holds no wet cell or the velocity is not finite.
 */
export function blockMeanFlow(
  depth: Float32Array,
  u: Float32Array,
  v: Float32Array,
  nx: number,
  blocks: FlowBlocks,
  minDepth: number,
  out: Float32Array,
): Float32Array {
  const { block, bx, by } = blocks;
  const ny = depth.length / nx;
  for (let tj = 0; tj < by; tj++) {
    const j1 = Math.min(ny, (tj + 1) * block);
    for (let ti = 0; ti < bx; ti++) {
      const i0 = ti * block;
      const i1 = Math.min(nx, i0 + block);
      let su = 0;
      let sv = 0;
      let wet = 0;
      for (let j = tj * block; j < j1; j++) {
        for (let k = j * nx + i0, end = j * nx + i1; k < end; k++) {
          const uk = u[k]!;
          const vk = v[k]!;
          // NaN fails the depth test; x - x is 0 only for finite x.
          if (depth[k]! > minDepth && uk - uk === 0 && vk - vk === 0) {
            su += uk;
            sv += vk;
            wet++;
          }
        }
      }
      const o = 2 * (tj * bx + ti);
      out[o] = wet ? su / wet : 0;
      out[o + 1] = wet ? sv / wet : 0;
    }
  }
  return out;
}

/** A block-mean flow texture for an nx x ny grid, and the scratch it is filled from. */
export class FlowTexture {
  readonly blocks: FlowBlocks;
  readonly texture: DataTexture;
  private readonly mean: Float32Array;
  private readonly half: Uint16Array;

  constructor(
    private readonly nx: number,
    ny: number,
  ) {
    this.blocks = flowBlocks(nx, ny);
    const texels = this.blocks.bx * this.blocks.by;
    this.mean = new Float32Array(2 * texels);
    this.half = new Uint16Array(2 * texels);
    this.texture = new DataTexture(this.half, this.blocks.bx, this.blocks.by, RGFormat, HalfFloatType);
    this.texture.minFilter = LinearFilter;
    this.texture.magFilter = LinearFilter;
  }

  /** Fills the texture from a frame (m, m/s east and north per DEM cell) and flags it for upload. */
  set(depth: Float32Array, u: Float32Array, v: Float32Array, minDepth: number): void {
    blockMeanFlow(depth, u, v, this.nx, this.blocks, minDepth, this.mean);
    for (let k = 0; k < this.mean.length; k++) this.half[k] = DataUtils.toHalfFloat(this.mean[k]!);
    this.texture.needsUpdate = true;
  }

  dispose(): void {
    this.texture.dispose();
  }
}
