/**
 * Water over the terrain: a surface at bed + depth, drawn with the terrain
 * mesh's own geometry (shared, not copied) and lifted in the vertex shader by
 * the depth read from a float texture holding one texel per DEM cell. A new
 * frame is written into that texture in place, so playback never rebuilds
 * geometry. The depth ramp colours it on a log scale, lit lightly by the
 * terrain's sun so sheets of water keep the relief's shape; shallow water is
 * more transparent, and water below the threshold is not drawn at all.
 *
 * The layer owns its material and texture; the geometry stays the terrain's.
 */
import { Mesh, ShaderMaterial, Vector3, type BufferGeometry, type DataTexture } from 'three';
import { ALPHA_DEEP, ALPHA_SHALLOW, DEPTH_RAMP, DEPTH_SCALE, DEPTH_THRESHOLD_M } from './depth-ramp';
import { cellTexture } from './cell-texture';
import { SUN, type CellFrame } from './terrain-grid';

const vertexShader = /* glsl */ `
uniform sampler2D depthMap;
uniform vec4 cells; // x0, z0, cellX, cellZ
uniform float exaggeration;
uniform vec3 sun;
varying float vDepth;
varying float vLight;

void main() {
  ivec2 cell = ivec2(round((position.x - cells.x) / cells.z), round((position.z - cells.y) / cells.w));
  vDepth = texelFetch(depthMap, cell, 0).r;
  // The terrain's hillshade, softened: 1 on flat ground, brighter facing the sun, darker away.
  vLight = 0.75 + 0.25 * max(dot(normal, sun), 0.0) / ${Math.SQRT1_2.toFixed(6)};
  vec3 lifted = vec3(position.x, position.y + vDepth * exaggeration, position.z);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(lifted, 1.0);
}
`;

const fragmentShader = /* glsl */ `
uniform vec3 ramp[${DEPTH_RAMP.length}];
uniform float threshold;
uniform vec2 scale; // log(threshold), log(max) - log(threshold)
uniform vec2 alpha; // shallow, deep
varying float vDepth;
varying float vLight;

void main() {
  if (vDepth < threshold) discard;
  float t = clamp((log(vDepth) - scale.x) / scale.y, 0.0, 1.0);
  float x = t * ${(DEPTH_RAMP.length - 1).toFixed(1)};
  int i = int(min(floor(x), ${(DEPTH_RAMP.length - 2).toFixed(1)}));
  // Ramp colours are sRGB and written as they are, so the legend's CSS colours match.
  vec3 color = mix(ramp[i], ramp[i + 1], x - float(i)) * vLight;
  gl_FragColor = vec4(color, mix(alpha.x, alpha.y, t));
}
`;

export class WaterLayer {
  readonly mesh: Mesh<BufferGeometry, ShaderMaterial>;
  private readonly texture: DataTexture;
  private readonly depth: Float32Array;
  private hasDepth = false;
  private shown = true;

  /** @param nx, ny the DEM's size: one texel per cell, as the engine's frames */
  constructor(geometry: BufferGeometry, frame: CellFrame, nx: number, ny: number, exaggeration: number) {
    ({ values: this.depth, texture: this.texture } = cellTexture(nx, ny));
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: {
        depthMap: { value: this.texture },
        cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
        exaggeration: { value: exaggeration },
        sun: { value: new Vector3(...SUN) },
        ramp: { value: DEPTH_RAMP.map(({ rgb }) => new Vector3(...rgb)) },
        threshold: { value: DEPTH_THRESHOLD_M },
        scale: { value: [DEPTH_SCALE.logMin, DEPTH_SCALE.logSpan] },
        alpha: { value: [ALPHA_SHALLOW, ALPHA_DEEP] },
      },
      transparent: true,
      depthWrite: false,
      // Centimetres of water over exaggerated relief kilometres away: pull the
      // surface towards the camera so it does not flicker into the ground.
      polygonOffset: true,
      polygonOffsetFactor: -2,
      polygonOffsetUnits: -8,
    });
    this.mesh = new Mesh(geometry, material);
    this.mesh.name = 'water';
    this.mesh.visible = false;
  }

  /** Shows this depth field (m, one value per DEM cell, row 0 north), or hides the water. */
  setDepth(depth: Float32Array | null): void {
    if (depth && depth.length !== this.depth.length) {
      throw new RangeError(`a depth frame of ${depth.length} cells for a ${this.depth.length}-cell terrain`);
    }
    this.hasDepth = depth !== null;
    if (depth) {
      this.depth.set(depth);
      this.texture.needsUpdate = true;
    }
    this.mesh.visible = this.hasDepth && this.shown;
  }

  /** The layer switch: hidden water keeps its depth for when it is shown again. */
  setVisible(on: boolean): void {
    this.shown = on;
    this.mesh.visible = this.hasDepth && on;
  }

  setExaggeration(exaggeration: number): void {
    this.mesh.material.uniforms.exaggeration!.value = exaggeration;
  }

  dispose(): void {
    this.mesh.material.dispose();
    this.texture.dispose();
    this.mesh.removeFromParent();
  }
}
