/**
 * Rain as falling streaks over the terrain, animated entirely on the GPU:
 * every drop has a fixed place over the grid (uniformly spread, so drops per
 * area are even), a random threshold and a phase. The vertex shader shows a
 * drop only where its threshold is below the rain density of the cell under
 * it ({@link rainDensity}: proportional to the rain rate, capped), and moves
 * it down a column above the ground from the time uniform, slanted by the
 * wind. A new rain field is a texture upload, a new rate or wind a uniform:
 * nothing is rebuilt while the rain plays.
 *
 * The layer owns its geometry, material and textures (density and heights).
 */
import { BufferAttribute, BufferGeometry, Color, LineSegments, ShaderMaterial, UniformsLib, UniformsUtils, type DataTexture } from 'three';
import { cellTexture } from './cell-texture';
import { rainDensities, rainDensity } from './rain-rate';
import type { CellFrame } from './terrain-grid';

/** Drops shown where the rain is at or above RAIN_FULL_MM_H. */
export const RAIN_DROPS = 24_000;
/** Height of the falling column above the ground, and a streak's length, as shares of the site's extent. */
const COLUMN = 0.06;
const STREAK = 0.009;
/** Screen seconds a drop takes to fall the column. */
const FALL_S = 1.1;
/** Fall speed (m/s) the wind's slant is measured against: a raindrop's terminal velocity. */
const TERMINAL_M_S = 9;
const MAX_SLANT = 1.2;

const vertexShader = /* glsl */ `
#include <fog_pars_vertex>
attribute vec2 drop;       // threshold, phase
uniform sampler2D density;
uniform sampler2D height;
uniform float useField;
uniform float uniformDensity;
uniform vec2 gridSize;
uniform vec4 cells;        // x0, z0, cellX, cellZ
uniform float exaggeration;
uniform float column;
uniform float streak;
uniform float time;
uniform vec2 slant;        // horizontal world units per unit of fall (x east, z south)
varying float vAlpha;

void main() {
  // position: where the drop lands (grid fractions), and 0 for the head, 1 for the tail.
  vec2 p = position.xy;
  ivec2 cell = min(ivec2(p * gridSize), ivec2(gridSize) - 1);
  float shown = useField > 0.5 ? texelFetch(density, cell, 0).r : uniformDensity;
  if (drop.x >= shown) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: not drawn
    vAlpha = 0.0;
    return;
  }
  float f = fract(drop.y + time); // 0 at the top of the fall, 1 at the ground
  float above = column * (1.0 - f) + streak * position.z;
  vec2 c = p * gridSize - 0.5;
  float ground = texelFetch(height, cell, 0).r * exaggeration;
  vec3 world = vec3(cells.x + c.x * cells.z, ground + above, cells.y + c.y * cells.w);
  world.xz -= slant * above;
  vec4 mvPosition = modelViewMatrix * vec4(world, 1.0);
  gl_Position = projectionMatrix * mvPosition;
  // Fade in at the top of the column and out at the ground; the tail fades out.
  vAlpha = smoothstep(0.0, 0.15, f) * (1.0 - smoothstep(0.9, 1.0, f)) * (1.0 - 0.8 * position.z);
  #include <fog_vertex>
}
`;

const fragmentShader = /* glsl */ `
#include <fog_pars_fragment>
uniform vec3 color;
uniform float opacity;
varying float vAlpha;
void main() {
  gl_FragColor = vec4(color, opacity * vAlpha);
  #include <colorspace_fragment>
  #include <fog_fragment>
}
`;

export class RainParticles {
  /** The drawn drops; add it to the scene. */
  readonly lines: LineSegments<BufferGeometry, ShaderMaterial>;
  private readonly density: { values: Float32Array; texture: DataTexture };
  private readonly heights: { values: Float32Array; texture: DataTexture };
  private raining = false;
  private shown = true;
  private clock = 0;

  /**
   * @param elevation the DEM (m, row-major, nx x ny, row 0 north) the rain falls on
   * @param base elevation at world y = 0
   * @param extent the terrain's larger horizontal size (world units = metres)
   */
  constructor(frame: CellFrame, elevation: Float32Array, nx: number, ny: number, base: number, extent: number, exaggeration: number, drops = RAIN_DROPS) {
    this.density = cellTexture(nx, ny);
    this.heights = cellTexture(nx, ny);
    for (let k = 0; k < elevation.length; k++) {
      const h = elevation[k]!;
      this.heights.values[k] = h === h ? h - base : 0;
    }

    // The terrain's surface reaches cell maxCol / maxRow: drops land on it, not past its edge.
    const spanX = (frame.maxCol + 0.5) / nx;
    const spanY = (frame.maxRow + 0.5) / ny;
    const positions = new Float32Array(6 * drops);
    const random = new Float32Array(4 * drops);
    for (let i = 0; i < drops; i++) {
      const x = Math.random() * spanX;
      const y = Math.random() * spanY;
      positions.set([x, y, 0, x, y, 1], 6 * i);
      const threshold = Math.random();
      const phase = Math.random();
      random.set([threshold, phase, threshold, phase], 4 * i);
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.setAttribute('drop', new BufferAttribute(random, 2));
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: UniformsUtils.merge([
        UniformsLib.fog,
        {
          density: { value: null },
          height: { value: null },
          useField: { value: 0 },
          uniformDensity: { value: 0 },
          gridSize: { value: [nx, ny] },
          cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
          exaggeration: { value: exaggeration },
          column: { value: COLUMN * extent },
          streak: { value: STREAK * extent },
          time: { value: 0 },
          slant: { value: [0, 0] },
          color: { value: new Color(0xd6e2f0) },
          opacity: { value: 0.6 },
        },
      ]),
      transparent: true,
      depthWrite: false,
      fog: true,
    });
    // UniformsUtils.merge clones values: the textures are set after, so the layer's own are used.
    material.uniforms.density!.value = this.density.texture;
    material.uniforms.height!.value = this.heights.texture;
    this.lines = new LineSegments(geometry, material);
    this.lines.name = 'rain';
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 3;
    this.lines.visible = false;
  }

  /** Whether drops fall and are drawn: some rain is set and the layer is switched on. */
  get active(): boolean {
    return this.raining && this.shown;
  }

  /**
   * The rain: a rate per DEM cell (mm/h, row 0 north; NaN as dry), or, with no
   * field, one rate everywhere (mm/h; 0 or absent: no rain).
   */
  setRain(field: Float32Array | null, uniformMmPerH = 0): void {
    const u = this.lines.material.uniforms;
    if (field) {
      rainDensities(field, this.density.values);
      this.density.texture.needsUpdate = true;
      this.raining = this.density.values.some((d) => d > 0);
    } else {
      u.uniformDensity!.value = rainDensity(uniformMmPerH);
      this.raining = u.uniformDensity!.value > 0;
    }
    u.useField!.value = field ? 1 : 0;
    this.lines.visible = this.active;
  }

  /** The wind that slants the drops (mean m/s east and north), or none. */
  setWind(east: number, north: number): void {
    const clamp = (s: number) => Math.max(-MAX_SLANT, Math.min(MAX_SLANT, Number.isFinite(s) ? s : 0));
    this.lines.material.uniforms.slant!.value = [clamp(east / TERMINAL_M_S), clamp(-north / TERMINAL_M_S)];
  }

  setVisible(on: boolean): void {
    this.shown = on;
    this.lines.visible = this.active;
  }

  setExaggeration(exaggeration: number): void {
    this.lines.material.uniforms.exaggeration!.value = exaggeration;
  }

  /** Advances the fall by this many screen seconds. */
  step(seconds: number): void {
    if (!this.active || !(seconds > 0)) return;
    this.clock = (this.clock + seconds / FALL_S) % 1;
    this.lines.material.uniforms.time!.value = this.clock;
  }

  dispose(): void {
    this.lines.geometry.dispose();
    this.lines.material.dispose();
    this.density.texture.dispose();
    this.heights.texture.dispose();
    this.lines.removeFromParent();
  }
}
