/**
 * Water over the terrain: a surface at bed + depth, drawn on the terrain's
 * own tiles at their current level (shared, not copied) and lifted in the vertex shader by
 * the depth read from a float texture holding one texel per DEM cell; each
 * pixel reads the depth of the cells under it again, so what is wet and its
 * colour do not depend on the tile's level. A new frame is written into that
 * texture in place, so playback never rebuilds geometry. The depth ramp colours it on a log scale, lit lightly by the
 * terrain's sun so sheets of water keep the relief's shape; shallow water is
 * more transparent, and water below the threshold is not drawn at all.
 *
 * The surface reflects a little of the sky (Fresnel) and the sun's glint.
 * With ripples on, their slope (water-ripples.ts) tilts its normal, drifting
 * with the frame's velocity where it is known (flow-texture.ts), and the
 * scene advances their clock every frame. None of it may mislead the depth
 * legend: facets change the ramp colour's brightness only, by a few per
 * cent (less on shallow water, none on films under CALM_DEPTH_M); the glint
 * adds white, capped; the sky's tint is near-white.
 *
 * Tiles with no cell deep enough to draw are skipped (wet-tiles.ts), found
 * as each frame uploads: a flood in a valley costs the tiles it covers.
 *
 * The layer owns its material and textures; the geometry stays the terrain's.
 */
import { ShaderMaterial, Vector3, type WebGLRenderer } from 'three';
import { ALPHA_DEEP, ALPHA_SHALLOW, DEPTH_RAMP, DEPTH_SCALE, DEPTH_THRESHOLD_M } from './depth-ramp';
import { FlowTexture } from './flow-texture';
import { StreamedCellTexture } from './StreamedCellTexture';
import type { SurfaceLayer } from './SurfaceLayer';
import { SUN, type CellFrame } from './terrain-grid';
import type { TerrainSurface } from './TerrainSurface';
import { WetTiles } from './wet-tiles';
import {
  CALM_DEPTH_M,
  FLOW_CYCLE_S,
  FULL_RIPPLE_DEPTH_M,
  MIN_RIPPLE_PIXELS,
  RIPPLE_BAND,
  RIPPLE_GLSL,
  RIPPLE_LADDER,
  SHORTEST_RIPPLE_M,
  rippleOctaveUniform,
  ripplePhases,
} from './water-ripples';

/** Most the ripples' facets brighten or darken the ramp colour: shallow water (ramp start) and deep (end). */
const SHADE_CAP = { shallow: 0.03, deep: 0.07 };
/** Brightness change per unit change of the facets' sun-facing (relative to flat water). */
const SHADE_GAIN = 0.5;
/** Most of the sky's colour the Fresnel reflection mixes in (it reaches this only at grazing angles). */
const FRESNEL_MAX = 0.2;
/**
 * Mean squared slope of the calmest water (no ripples drawn), the glint's
 * strength for the cartographic sun, and the most white it adds: sparkles,
 * not patches that would read as shallower water on the depth ramp; on calm
 * water and films (no ripples) only this share of it, a few per cent.
 */
const GLINT_ROUGHNESS = 0.0005;
const GLINT_GAIN = 4;
const GLINT_MAX = 0.22;
const GLINT_CALM_SHARE = 0.3;
/** Mean squared slope of the capillary waves on rippled water, always far below a pixel (Cox and Munk's for a light breeze). */
const CAPILLARY_ROUGHNESS = 0.015;
/** The ripple clock wraps after this many seconds: whole flow cycles, so the flow map's phase does not jump. */
const CLOCK_WRAP_S = 3600 * FLOW_CYCLE_S;

const vertexShader = /* glsl */ `
uniform sampler2D depthMap;
uniform vec4 cells; // x0, z0, cellX, cellZ
uniform float exaggeration;
uniform vec3 sun;
varying float vLight;
varying vec3 vWorld;

void main() {
  ivec2 cell = ivec2(round((position.x - cells.x) / cells.z), round((position.z - cells.y) / cells.w));
  float depth = texelFetch(depthMap, cell, 0).r;
  // The terrain's hillshade, softened: 1 on flat ground, brighter facing the sun, darker away.
  vLight = 0.75 + 0.25 * max(dot(normal, sun), 0.0) / ${Math.SQRT1_2.toFixed(6)};
  vec3 lifted = vec3(position.x, position.y + depth * exaggeration, position.z);
  vWorld = (modelMatrix * vec4(lifted, 1.0)).xyz;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(lifted, 1.0);
}
`;

const fragmentShader = /* glsl */ `
uniform vec3 ramp[${DEPTH_RAMP.length}];
uniform float threshold;
uniform vec2 scale; // log(threshold), log(max) - log(threshold)
uniform vec2 alpha; // shallow, deep
uniform vec4 cells;
uniform float ripples; // the switch: 0 calm, 1 rippled
uniform float time; // the ripple clock (s), wrapped to whole flow cycles
uniform sampler2D flowMap; // block-mean velocity (m/s east, north), flow-texture.ts
uniform vec3 flowCells; // cells the flow map spans across and down; 1 with a flow, else 0
uniform vec3 light; // towards the sun (the directional light's)
uniform float lightStrength; // the sun's brightness relative to the cartographic sun's
uniform vec3 skyTint; // the sky light's colour, sRGB
uniform sampler2D depthMap;
varying float vLight;
varying vec3 vWorld;
${RIPPLE_GLSL}
// The depth under this pixel, bilinear between the four cells around it. The vertices lift the surface,
// but a coarse tile's triangles span several cells: reading the depth here shows every wet cell under
// them (a channel one cell wide between two vertices too), and at stride 1 it is what the vertices give.
float depthHere() {
  ivec2 size = textureSize(depthMap, 0);
  vec2 f = clamp((vWorld.xz - cells.xy) / cells.zw, vec2(0.0), vec2(size - 1));
  ivec2 a = ivec2(floor(f));
  ivec2 b = min(a + 1, size - 1);
  vec2 t = f - vec2(a);
  float north = mix(texelFetch(depthMap, a, 0).r, texelFetch(depthMap, ivec2(b.x, a.y), 0).r, t.x);
  float south = mix(texelFetch(depthMap, ivec2(a.x, b.y), 0).r, texelFetch(depthMap, b, 0).r, t.x);
  return mix(north, south, t.y);
}

float maxChannel(vec3 c) { return max(c.r, max(c.g, c.b)); }

// The ripples' slope here: the octaves for this pixel's footprint, riding the flow where it is known
// (a flow map: two phases, each dragged along for one cycle and faded in and out, half a cycle apart).
vec2 surfaceSlope(float lod, float strength) {
  float band = clamp(lod, 0.0, ${(RIPPLE_LADDER - RIPPLE_BAND).toFixed(1)} + 0.999);
  int k0 = int(band);
  float fade = band - float(k0);
  vec2 reach = vec2(0.0);
  if (flowCells.z > 0.5) {
    vec2 uv = ((vWorld.xz - cells.xy) / cells.zw + 0.5) / flowCells.xy;
    vec2 flow = textureLod(flowMap, uv, 0.0).rg;
    reach = vec2(flow.x, -flow.y) * ${FLOW_CYCLE_S.toFixed(1)}; // north is -z
  }
  // A drag far shorter than the shortest octave on show changes nothing: one phase is enough.
  if (length(reach) < 0.02 * ${SHORTEST_RIPPLE_M.toFixed(2)} * exp2(float(k0))) return strength * rippleSlope(vWorld.xz, k0, fade);
  float phase = fract(time / ${FLOW_CYCLE_S.toFixed(1)});
  float w = 1.0 - abs(1.0 - 2.0 * phase);
  vec2 a = rippleSlope(vWorld.xz - reach * phase, k0, fade);
  vec2 b = rippleSlope(vWorld.xz - reach * fract(phase + 0.5), k0, fade);
  return strength * (w * a + (1.0 - w) * b);
}

void main() {
  // Ground metres per pixel, along the pixel's longer side (derivatives before any discard).
  float footprint = max(length(dFdx(vWorld.xz)), length(dFdy(vWorld.xz)));
  float lod = log2(max(footprint, 1e-6) * ${MIN_RIPPLE_PIXELS.toFixed(1)} / ${SHORTEST_RIPPLE_M.toFixed(2)});
  float depth = depthHere();
  if (depth < threshold) discard;
  float t = clamp((log(depth) - scale.x) / scale.y, 0.0, 1.0);
  float x = t * ${(DEPTH_RAMP.length - 1).toFixed(1)};
  int i = int(min(floor(x), ${(DEPTH_RAMP.length - 2).toFixed(1)}));
  // Ramp colours are sRGB and written as they are, so the legend's CSS colours match.
  vec3 color = mix(ramp[i], ramp[i + 1], x - float(i)) * vLight;

  // Films stay calm; beyond the longest octave's reach only the glint's roughness is left.
  float wavy = ripples * smoothstep(${CALM_DEPTH_M.toFixed(2)}, ${FULL_RIPPLE_DEPTH_M.toFixed(2)}, depth);
  float strength = wavy * (1.0 - smoothstep(${(RIPPLE_LADDER - RIPPLE_BAND).toFixed(1)} + 1.0, ${(RIPPLE_LADDER - RIPPLE_BAND).toFixed(1)} + 2.0, lod));
  vec2 slope = strength > 0.0 ? surfaceSlope(lod, strength) : vec2(0.0);
  vec3 n = normalize(vec3(-slope.x, 1.0, -slope.y));
  vec3 v = normalize(cameraPosition - vWorld);

  // Shading by the ripples' facets, as a brightness change only (the hue stays the ramp's):
  // a few per cent on shallow water, a little more on deep.
  float facing = max(dot(n, light), 0.0) / max(light.y, 0.1) - 1.0;
  float cap = mix(${SHADE_CAP.shallow.toFixed(3)}, ${SHADE_CAP.deep.toFixed(3)}, t);
  float gain = 1.0 + clamp(${SHADE_GAIN.toFixed(2)} * facing, -cap, cap);
  color *= gain > 1.0 ? min(gain, max(1.0, 1.0 / maxChannel(color))) : gain;

  // A slight Fresnel reflection of the sky, strongest at grazing angles.
  float fresnel = 0.02 + 0.98 * pow(1.0 - clamp(dot(n, v), 0.0, 1.0), 5.0);
  color = mix(color, skyTint, min(fresnel, ${FRESNEL_MAX.toFixed(2)}));

  // The sun's glint: a Beckmann highlight roughened by the ripples too short to draw and by capillary
  // waves; added as white, capped, and never past the brightest channel's ceiling (so the hue stays).
  float roughness = ${GLINT_ROUGHNESS.toFixed(4)} + wavy * wavy * (${CAPILLARY_ROUGHNESS.toFixed(4)} + rippleVariance(lod));
  vec3 h = normalize(light + v);
  float nh = max(dot(n, h), 1e-3);
  float nh2 = nh * nh;
  float beckmann = exp((nh2 - 1.0) / (nh2 * roughness)) / (3.14159265 * roughness * nh2 * nh2);
  float schlick = 0.02 + 0.98 * pow(1.0 - clamp(dot(v, h), 0.0, 1.0), 5.0);
  float glint = lightStrength * ${GLINT_GAIN.toFixed(1)} * beckmann * schlick * max(dot(n, light), 0.0) / (4.0 * max(dot(n, v), 0.05));
  // Saturating smoothly towards the cap: a sun's reflection with soft edges, not a flat disc.
  float most = max(0.0, min(${GLINT_MAX.toFixed(2)} * mix(${GLINT_CALM_SHARE.toFixed(2)}, 1.0, wavy), 1.0 - maxChannel(color)));
  color += most * (1.0 - exp(-glint / max(most, 1e-3)));
  gl_FragColor = vec4(color, mix(alpha.x, alpha.y, t));
}
`;

export class WaterLayer {
  readonly mesh: SurfaceLayer<ShaderMaterial>;
  private readonly depth: StreamedCellTexture;
  private readonly wet: WetTiles;
  private readonly tileCount: number;
  private hasDepth = false;
  /** The depth frame last set (the caller's array, read only while ripples need a new flow map). */
  private shownDepth: Float32Array | null = null;
  private shown = true;
  private readonly nx: number;
  private readonly ny: number;
  /** Ripples: the switch, the clock (s), the velocity frame and its texture (made when first needed). */
  private ripplesOn = false;
  private clock = 0;
  private readonly phases = ripplePhases(0);
  private flow: { u: Float32Array; v: Float32Array } | null = null;
  private flowStale = false;
  private flowTexture: FlowTexture | null = null;

  /** @param nx, ny the DEM's size: one texel per cell, as the engine's frames */
  constructor(surface: TerrainSurface, frame: CellFrame, nx: number, ny: number, exaggeration: number) {
    this.wet = new WetTiles(surface.tiles, nx, DEPTH_THRESHOLD_M);
    this.tileCount = surface.tiles.length;
    this.depth = new StreamedCellTexture(nx, ny, (values, from, to) => this.wet.scan(values, from, to));
    this.nx = nx;
    this.ny = ny;
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: {
        depthMap: { value: this.depth.texture },
        cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
        exaggeration: { value: exaggeration },
        sun: { value: new Vector3(...SUN) },
        ramp: { value: DEPTH_RAMP.map(({ rgb }) => new Vector3(...rgb)) },
        threshold: { value: DEPTH_THRESHOLD_M },
        scale: { value: [DEPTH_SCALE.logMin, DEPTH_SCALE.logSpan] },
        alpha: { value: [ALPHA_SHALLOW, ALPHA_DEEP] },
        ripples: { value: 0 },
        time: { value: 0 },
        rippleOctave: { value: rippleOctaveUniform() },
        ripplePhase: { value: this.phases },
        flowMap: { value: null },
        flowCells: { value: new Vector3(1, 1, 0) },
        light: { value: new Vector3(...SUN) },
        lightStrength: { value: 1 },
        skyTint: { value: new Vector3(1, 1, 1) },
      },
      transparent: true,
      depthWrite: false,
      // Centimetres of water over exaggerated relief kilometres away: pull the
      // surface towards the camera so it does not flicker into the ground.
      polygonOffset: true,
      polygonOffsetFactor: -2,
      polygonOffsetUnits: -8,
    });
    this.mesh = surface.createLayer(material, 'water');
    this.mesh.visible = false;
  }

  /** Shows this depth field (m, one value per DEM cell, row 0 north), or hides the water. */
  setDepth(depth: Float32Array | null): void {
    if (depth && depth.length !== this.nx * this.ny) {
      throw new RangeError(`a depth frame of ${depth.length} cells for a ${this.nx * this.ny}-cell terrain`);
    }
    this.hasDepth = depth !== null;
    if (depth) this.depth.set(depth);
    else this.depth.clear();
    // The flow map's wet cells.
    this.shownDepth = depth;
    this.mesh.visible = this.hasDepth && this.shown;
    // The flow map averages the wet cells: new depths, new map.
    if (this.flow) this.flowStale = true;
  }

  /**
   * The velocity of the depth frame on show (m/s east and north per DEM cell),
   * which the ripples drift with; null: none known (they drift with the wind only).
   */
  setFlow(flow: { u: Float32Array; v: Float32Array } | null): void {
    if (flow && (flow.u.length !== this.nx * this.ny || flow.v.length !== this.nx * this.ny)) {
      throw new RangeError(`a velocity frame of ${flow.u.length} cells for a ${this.nx * this.ny}-cell terrain`);
    }
    this.flow = flow;
    this.flowStale = true;
  }

  /** The ripples' switch: off, the water is drawn calm (and nothing moves). */
  setRipples(on: boolean): void {
    this.ripplesOn = on;
    this.mesh.material.uniforms.ripples!.value = on ? 1 : 0;
  }

  /** Whether the water moves by itself (ripples on and water on show): the scene keeps drawing while it does. */
  get animating(): boolean {
    return this.ripplesOn && this.mesh.visible;
  }

  /** True while a large depth frame is still being uploaded (the one before it stays on show meanwhile). */
  get pending(): boolean {
    return this.depth.pending;
  }

  /** Uploads the next part of the depth frame set, before a frame is drawn (StreamedCellTexture). */
  upload(renderer: WebGLRenderer): void {
    if (!this.depth.upload(renderer)) return;
    this.mesh.material.uniforms.depthMap!.value = this.depth.texture;
    this.wet.commit();
    for (let tile = 0; tile < this.tileCount; tile++) this.mesh.setTileVisible(tile, this.wet.isWet(tile));
  }

  /** Tiles the water is drawn on (those holding water in the frame on show). */
  get wetTiles(): number {
    let n = 0;
    for (let tile = 0; tile < this.tileCount; tile++) if (this.wet.isWet(tile)) n++;
    return n;
  }

  /** Advances the ripples by this many seconds, before a frame is drawn. */
  advance(seconds: number): void {
    this.syncFlow();
    this.clock = (this.clock + seconds) % CLOCK_WRAP_S;
    this.mesh.material.uniforms.time!.value = this.clock;
    ripplePhases(this.clock, this.phases);
  }

  /**
   * The sun the glint and ripples are lit by (unit vector towards it, world),
   * its brightness relative to the cartographic sun's, and the sky's colour
   * (sRGB) the Fresnel reflection mixes in.
   */
  setLight(direction: readonly [number, number, number], strength: number, sky: readonly [number, number, number]): void {
    const u = this.mesh.material.uniforms;
    (u.light!.value as Vector3).set(...direction);
    u.lightStrength!.value = strength;
    (u.skyTint!.value as Vector3).set(...sky);
  }

  /** The layer switch: hidden water keeps its depth for when it is shown again. */
  setVisible(on: boolean): void {
    this.shown = on;
    this.mesh.visible = this.hasDepth && on;
  }

  setExaggeration(exaggeration: number): void {
    this.mesh.material.uniforms.exaggeration!.value = exaggeration;
  }

  /** Rebuilds the flow texture for the frame on show, once per frame at most and only while ripples are on (nothing else reads it). */
  private syncFlow(): void {
    if (!this.ripplesOn || !this.flowStale) return;
    this.flowStale = false;
    const u = this.mesh.material.uniforms;
    if (!this.flow || !this.shownDepth) {
      (u.flowCells!.value as Vector3).z = 0;
      return;
    }
    this.flowTexture ??= new FlowTexture(this.nx, this.ny);
    this.flowTexture.set(this.shownDepth!, this.flow.u, this.flow.v, DEPTH_THRESHOLD_M);
    const { block, bx, by } = this.flowTexture.blocks;
    u.flowMap!.value = this.flowTexture.texture;
    (u.flowCells!.value as Vector3).set(bx * block, by * block, 1);
  }

  dispose(): void {
    this.mesh.material.dispose();
    this.depth.dispose();
    this.flowTexture?.dispose();
    this.mesh.dispose();
  }
}
