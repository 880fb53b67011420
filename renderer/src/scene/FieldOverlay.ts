/**
 * A scalar field draped on the terrain (a weather frame's temperature or
 * pressure): drawn on the terrain's own tiles (shared, not copied),
 * each fragment coloured by the value of the DEM cell under it, read from a
 * float texture holding one texel per cell. A new frame is written into that
 * texture in place, and a new scale or ramp only changes uniforms, so
 * playback never rebuilds geometry.
 *
 * The colour is the ramp's (sRGB, written as is, so the legend's CSS colours
 * match) times a soft hillshade from the terrain's sun; with shading off it
 * is the ramp's colour exactly. The layer owns its material and texture.
 */
import { ShaderMaterial, Vector3, type WebGLRenderer } from 'three';
import type { RampStop } from './elevation-ramp';
import type { FieldScale } from './field-ramp';
import { StreamedCellTexture } from './StreamedCellTexture';
import type { SurfaceLayer } from './SurfaceLayer';
import { SUN, type CellFrame } from './terrain-grid';
import type { TerrainSurface } from './TerrainSurface';

/** Stops the shader holds; shorter ramps repeat their last colour (never sampled). */
export const MAX_RAMP_STOPS = 8;

const vertexShader = /* glsl */ `
uniform vec3 sun;
uniform float shading;
varying vec2 vGround;
varying float vLight;

void main() {
  vGround = position.xz;
  // The terrain's hillshade, softened: 1 on flat ground, brighter facing the sun, darker away.
  float light = 0.78 + 0.22 * max(dot(normal, sun), 0.0) / ${Math.SQRT1_2.toFixed(6)};
  vLight = mix(1.0, light, shading);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

const fragmentShader = /* glsl */ `
uniform sampler2D field;
uniform vec4 cells; // x0, z0, cellX, cellZ
uniform ivec2 size;
uniform vec2 range; // value at ramp 0, value at ramp 1
uniform vec3 ramp[${MAX_RAMP_STOPS}];
uniform float stops;
varying vec2 vGround;
varying float vLight;

void main() {
  // The cell under this fragment, as picking rounds it (terrain-grid.ts worldToCell).
  ivec2 cell = clamp(ivec2(round((vGround - cells.xy) / cells.zw)), ivec2(0), size - 1);
  float value = texelFetch(field, cell, 0).r;
  if (value != value) discard;
  float t = clamp((value - range.x) / (range.y - range.x), 0.0, 1.0);
  float x = t * (stops - 1.0);
  int i = int(min(floor(x), stops - 2.0));
  vec3 color = mix(ramp[i], ramp[i + 1], x - float(i)) * vLight;
  gl_FragColor = vec4(color, 1.0);
}
`;

export class FieldOverlay {
  readonly mesh: SurfaceLayer<ShaderMaterial>;
  private readonly field: StreamedCellTexture;
  /** A new ramp or scale, held back until the field it came with is on show. */
  private style: (() => void) | null = null;
  private hasField = false;
  private shown = true;

  /** @param nx, ny the DEM's size: one texel per cell, as the engine's frames */
  constructor(surface: TerrainSurface, frame: CellFrame, nx: number, ny: number, shading: boolean, name = 'field-overlay') {
    this.field = new StreamedCellTexture(nx, ny);
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: {
        field: { value: this.field.texture },
        cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
        size: { value: [nx, ny] },
        range: { value: [0, 1] },
        ramp: { value: Array.from({ length: MAX_RAMP_STOPS }, () => new Vector3()) },
        stops: { value: 2 },
        sun: { value: new Vector3(...SUN) },
        shading: { value: shading ? 1 : 0 },
      },
      // Over the terrain it shares the geometry with: drawn after it, pulled towards the camera.
      polygonOffset: true,
      polygonOffsetFactor: -1,
      polygonOffsetUnits: -4,
    });
    this.mesh = surface.createLayer(material, name);
    this.mesh.renderOrder = 1;
    this.mesh.visible = false;
  }

  /** Shows this field (one value per DEM cell, row 0 north; NaN is not drawn) on `ramp` over `scale`, or hides the overlay. */
  setField(values: Float32Array | null, ramp?: readonly RampStop[], scale?: FieldScale): void {
    const cells = this.field.nx * this.field.ny;
    if (values && values.length !== cells) throw new RangeError(`a field of ${values.length} cells for a ${cells}-cell terrain`);
    if (ramp && (ramp.length < 2 || ramp.length > MAX_RAMP_STOPS)) throw new RangeError(`a ramp of 2 to ${MAX_RAMP_STOPS} stops, not ${ramp.length}`);
    this.hasField = values !== null;
    if (values) this.field.set(values);
    else this.field.clear();
    const u = this.mesh.material.uniforms;
    const style = () => {
      if (ramp) {
        (u.ramp!.value as Vector3[]).forEach((v, i) => v.set(...ramp[Math.min(i, ramp.length - 1)]!.rgb));
        u.stops!.value = ramp.length;
      }
      if (scale) u.range!.value = [scale.lo, scale.hi];
    };
    this.style = this.field.pending ? style : null;
    if (!this.style) style();
    this.mesh.visible = this.hasField && this.shown;
  }

  /** True while a large field is still being uploaded (the one before it stays on show meanwhile). */
  get pending(): boolean {
    return this.field.pending;
  }

  /** Uploads the next part of the field set, before a frame is drawn (StreamedCellTexture); its ramp and scale come with it. */
  upload(renderer: WebGLRenderer): void {
    if (!this.field.upload(renderer)) return;
    this.mesh.material.uniforms.field!.value = this.field.texture;
    this.style?.();
    this.style = null;
  }

  /** The layer switch: a hidden overlay keeps its field for when it is shown again. */
  setVisible(on: boolean): void {
    this.shown = on;
    this.mesh.visible = this.hasField && on;
  }

  /** Soft hillshade on the colours (the terrain's hillshade switch), or the ramp's colours exactly. */
  setShading(on: boolean): void {
    this.mesh.material.uniforms.shading!.value = on ? 1 : 0;
  }

  dispose(): void {
    this.mesh.material.dispose();
    this.field.dispose();
    this.mesh.dispose();
  }
}
