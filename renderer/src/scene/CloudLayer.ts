/**
 * A cheap cloud deck: one horizontal plane above the highest terrain, as
 * large as the site, whose fragments are cloud where a fractal noise rises
 * above the local cloud fraction's threshold (the weather frame's
 * `cloud_fraction` per DEM cell, sampled bilinearly from a float texture),
 * so about that share of the sky over each place is covered. One plane and
 * a four-octave value noise per fragment: fast enough on software GL.
 * A new frame is a texture upload; lighting follows the sun's colour.
 *
 * The layer owns its geometry, material and texture.
 */
import { Color, DoubleSide, Mesh, PlaneGeometry, ShaderMaterial, UniformsLib, UniformsUtils, type DataTexture } from 'three';
import { cellTexture } from './cell-texture';
import type { CellFrame } from './terrain-grid';

/** Height of the deck over the highest terrain, as a share of the site's extent. */
const GAP = 0.05;

const vertexShader = /* glsl */ `
#include <fog_pars_vertex>
varying vec2 vGround;
void main() {
  vec4 world = modelMatrix * vec4(position, 1.0);
  vGround = world.xz;
  vec4 mvPosition = viewMatrix * world;
  gl_Position = projectionMatrix * mvPosition;
  #include <fog_vertex>
}
`;

const fragmentShader = /* glsl */ `
#include <fog_pars_fragment>
uniform sampler2D cover;
uniform vec2 gridSize;
uniform vec4 cells;      // x0, z0, cellX, cellZ
uniform vec2 halfSize;   // half the deck's width and depth
uniform float scale;     // noise cycles per world unit
uniform vec3 lit;
uniform vec3 shade;
varying vec2 vGround;

float hash(vec2 p) { return fract(sin(dot(p, vec2(127.1, 311.7))) * 43758.5453); }
float noise(vec2 p) {
  vec2 i = floor(p);
  vec2 f = fract(p);
  vec2 u = f * f * (3.0 - 2.0 * f);
  return mix(mix(hash(i), hash(i + vec2(1.0, 0.0)), u.x), mix(hash(i + vec2(0.0, 1.0)), hash(i + vec2(1.0, 1.0)), u.x), u.y);
}
float fbm(vec2 p) {
  float sum = 0.0;
  float amplitude = 0.5;
  for (int i = 0; i < 4; i++) {
    sum += amplitude * noise(p);
    p = p * 2.03 + 17.1;
    amplitude *= 0.5;
  }
  return sum / 0.9375;
}

/** Bilinear between cell centres, clamped at the edges; c in cells. */
float coverAt(vec2 c) {
  c = clamp(c, vec2(0.0), gridSize - 1.0);
  ivec2 i0 = ivec2(floor(c));
  ivec2 i1 = min(i0 + 1, ivec2(gridSize) - 1);
  vec2 f = c - vec2(i0);
  float a = mix(texelFetch(cover, i0, 0).r, texelFetch(cover, ivec2(i1.x, i0.y), 0).r, f.x);
  float b = mix(texelFetch(cover, ivec2(i0.x, i1.y), 0).r, texelFetch(cover, i1, 0).r, f.x);
  return mix(a, b, f.y);
}

void main() {
  float fraction = clamp(coverAt((vGround - cells.xy) / cells.zw), 0.0, 1.0);
  if (fraction <= 0.0) discard;
  // The noise stretched to about uniform on 0..1, so "above 1 - fraction" covers about that fraction.
  float n = clamp((fbm(vGround * scale) - 0.5) * 2.4 + 0.5, 0.0, 1.0);
  float cloud = smoothstep(1.0 - fraction - 0.06, 1.0 - fraction + 0.18, n);
  // Thin out at the deck's edges rather than ending in a line.
  vec2 edge = smoothstep(vec2(0.0), halfSize * 0.08, halfSize - abs(vGround));
  float alpha = 0.82 * cloud * edge.x * edge.y;
  if (alpha < 0.01) discard;
  gl_FragColor = vec4(mix(shade, lit, smoothstep(0.35, 0.95, n)), alpha);
  #include <colorspace_fragment>
  #include <fog_fragment>
}
`;

export class CloudLayer {
  readonly mesh: Mesh<PlaneGeometry, ShaderMaterial>;
  private readonly cover: { values: Float32Array; texture: DataTexture };
  private readonly gap: number;
  private hasCover = false;
  private shown = true;

  /**
   * @param width, depth the terrain's size (world units = metres)
   * @param top height of the highest terrain (world units, exaggerated)
   */
  constructor(frame: CellFrame, nx: number, ny: number, width: number, depth: number, top: number) {
    this.cover = cellTexture(nx, ny);
    const extent = Math.max(width, depth);
    this.gap = GAP * extent;
    const geometry = new PlaneGeometry(width, depth);
    geometry.rotateX(-Math.PI / 2);
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: UniformsUtils.merge([
        UniformsLib.fog,
        {
          cover: { value: null },
          gridSize: { value: [nx, ny] },
          cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
          halfSize: { value: [width / 2, depth / 2] },
          scale: { value: 6 / extent },
          lit: { value: new Color(0xffffff) },
          shade: { value: new Color(0x9aa3ae) },
        },
      ]),
      transparent: true,
      depthWrite: false,
      side: DoubleSide,
      fog: true,
    });
    material.uniforms.cover!.value = this.cover.texture;
    this.mesh = new Mesh(geometry, material);
    this.mesh.name = 'clouds';
    this.mesh.renderOrder = 4;
    this.mesh.visible = false;
    this.setTop(top);
  }

  /** The cloud fraction per DEM cell (0..1, row 0 north; NaN as clear), or none. */
  setCover(fraction: Float32Array | null): void {
    if (fraction && fraction.length !== this.cover.values.length) {
      throw new RangeError(`a cloud field of ${fraction.length} cells for a ${this.cover.values.length}-cell terrain`);
    }
    this.hasCover = false;
    if (fraction) {
      for (let k = 0; k < fraction.length; k++) {
        const f = fraction[k]!;
        this.cover.values[k] = f > 0 ? Math.min(f, 1) : 0;
        if (f > 0) this.hasCover = true;
      }
      this.cover.texture.needsUpdate = true;
    }
    this.mesh.visible = this.hasCover && this.shown;
  }

  /** Cloud colours: lit tops and shaded bases (sRGB hex), from the sun and sky. */
  setColors(lit: string, shade: string): void {
    (this.mesh.material.uniforms.lit!.value as Color).set(lit);
    (this.mesh.material.uniforms.shade!.value as Color).set(shade);
  }

  /** The highest terrain moved (a new exaggeration): the deck keeps its gap above it. */
  setTop(top: number): void {
    this.mesh.position.y = top + this.gap;
  }

  setVisible(on: boolean): void {
    this.shown = on;
    this.mesh.visible = this.hasCover && on;
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.cover.texture.dispose();
    this.mesh.removeFromParent();
  }
}
