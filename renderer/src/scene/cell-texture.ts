/**
 * A float texture with one texel per DEM cell (row 0 north), as the engine's
 * frames are: layers draped on the terrain copy each frame into `values` and
 * flag the texture, so a new frame is an upload, never a geometry rebuild.
 */
import { DataTexture, FloatType, NearestFilter, RedFormat } from 'three';

export function cellTexture(nx: number, ny: number): { values: Float32Array; texture: DataTexture } {
  const values = new Float32Array(nx * ny);
  const texture = new DataTexture(values, nx, ny, RedFormat, FloatType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  return { values, texture };
}
