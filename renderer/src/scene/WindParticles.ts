/**
 * Wind as particles advected on the GPU, after Vladimir Agafonkin's
 * webgl-wind (github.com/mapbox/webgl-wind): each particle's position is a
 * texel of a float RGBA texture (x, y as fractions of the grid, west to east
 * and north to south); a fragment shader moves every particle one step along
 * the wind, sampled bilinearly from a float texture of the frame's u and v
 * (one texel per DEM cell), writing the next positions into a second render
 * target (ping-pong). A random share of particles is dropped to a random
 * place each step (more where the wind is fast), and those leaving the grid
 * too, so the field stays evenly covered.
 *
 * Each particle is drawn as a short line over the terrain at terrain height
 * (bilinear in a height texture, lifted a little): a head where it is and a
 * tail, fading out, where the local wind says it was a moment ago.
 *
 * Time: `step(renderer, seconds)` advances the particles by that many seconds
 * of wind (the view passes screen time x {@link WindParticles.timeScale}).
 * The layer owns its textures, render targets, geometries and materials.
 */
import {
  BufferAttribute,
  BufferGeometry,
  DataTexture,
  FloatType,
  LineSegments,
  Mesh,
  NearestFilter,
  OrthographicCamera,
  RedFormat,
  RGBAFormat,
  RGFormat,
  Scene,
  ShaderMaterial,
  WebGLRenderTarget,
  type Texture,
  type WebGLRenderer,
} from 'three';
import type { CellFrame } from './terrain-grid';

/** The default: a 256 x 256 position texture, as webgl-wind. */
export const DEFAULT_PARTICLE_COUNT = 65_536;
/** Screen seconds a particle at the reference speed takes to cross the site's longer side. */
const CROSSING_S = 20;
const REFERENCE_SPEED_M_S = 10;
/** Mean particle life (screen s), and how much faster the fastest ones are replaced. */
const LIFETIME_S = 4;
const FAST_LIFETIME_S = 2;
/** Tail length, in screen seconds of motion. */
const TRAIL_S = 0.07;
/** Lift above the terrain, as a share of the site's extent. */
const LIFT = 0.0015;

const sampling = /* glsl */ `
uniform sampler2D wind;
uniform vec2 gridSize;   // nx, ny
uniform vec2 cellMetres; // dx, dy (m)

/** Bilinear between cell centres, clamped at the edges; p in grid fractions. */
vec4 bilinear(sampler2D map, vec2 p) {
  vec2 c = clamp(p * gridSize - 0.5, vec2(0.0), gridSize - 1.0);
  ivec2 i0 = ivec2(floor(c));
  ivec2 i1 = min(i0 + 1, ivec2(gridSize) - 1);
  vec2 f = c - vec2(i0);
  vec4 a = mix(texelFetch(map, i0, 0), texelFetch(map, ivec2(i1.x, i0.y), 0), f.x);
  vec4 b = mix(texelFetch(map, ivec2(i0.x, i1.y), 0), texelFetch(map, i1, 0), f.x);
  return mix(a, b, f.y);
}

/** Wind (m/s east, north) at p, and the motion it gives in grid fractions per second (rows grow south). */
vec2 windAt(vec2 p) { return bilinear(wind, p).rg; }
vec2 motion(vec2 w) { return vec2(w.x / cellMetres.x, -w.y / cellMetres.y) / gridSize; }
`;

const updateVertex = /* glsl */ `
void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }
`;

const updateFragment = /* glsl */ `
uniform sampler2D state;
uniform float seconds;   // wind seconds this step
uniform float seed;
uniform vec2 dropRate;   // per step: everywhere, and extra at the fastest speed
uniform float maxSpeed;
${sampling}

// webgl-wind's pseudo-random generator.
const vec3 K = vec3(12.9898, 78.233, 4375.85453);
float rand(vec2 co) {
  float t = dot(K.xy, co);
  return fract(sin(t) * (K.z + t));
}

void main() {
  vec4 s = texelFetch(state, ivec2(gl_FragCoord.xy), 0);
  vec2 w = windAt(s.xy);
  vec2 p = s.xy + motion(w) * seconds;
  vec2 r = (s.xy + gl_FragCoord.xy / 256.0) * seed;
  float drop = dropRate.x + dropRate.y * clamp(length(w) / maxSpeed, 0.0, 1.0);
  bool outside = any(lessThan(p, vec2(0.0))) || any(greaterThan(p, vec2(1.0)));
  if (outside || rand(r) < drop) p = vec2(rand(r + 1.3), rand(r + 2.1));
  gl_FragColor = vec4(p, 0.0, 1.0);
}
`;

const drawVertex = /* glsl */ `
uniform sampler2D state;
uniform sampler2D height;
uniform vec4 cells;        // x0, z0, cellX, cellZ (world units per cell)
uniform float exaggeration;
uniform float lift;
uniform float trail;       // wind seconds behind the head
uniform float maxSpeed;
${sampling}
varying float vAlpha;

void main() {
  // position: the particle's texel (x, y) and 0 for the head, 1 for the tail.
  vec2 p = texelFetch(state, ivec2(position.xy), 0).xy;
  vec2 w = windAt(p);
  p -= motion(w) * trail * position.z;
  vec2 c = p * gridSize - 0.5;
  float h = bilinear(height, p).r;
  vec3 world = vec3(cells.x + c.x * cells.z, h * exaggeration + lift, cells.y + c.y * cells.w);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(world, 1.0);
  vAlpha = (1.0 - position.z) * (0.16 + 0.4 * clamp(length(w) / maxSpeed, 0.0, 1.0));
}
`;

const drawFragment = /* glsl */ `
varying float vAlpha;
void main() { gl_FragColor = vec4(0.97, 0.98, 1.0, vAlpha); }
`;

/** Wind seconds per screen second over a site of this extent (m): a 10 m/s wind crosses it in 20 s. */
export function particleTimeScale(extent: number): number {
  return extent / (REFERENCE_SPEED_M_S * CROSSING_S);
}

export interface WindParticlesOptions {
  /** Particles (a square number; default 65,536). */
  count?: number;
}

export class WindParticles {
  /** The drawn particles; add it to the scene. */
  readonly lines: LineSegments<BufferGeometry, ShaderMaterial>;
  /** Wind seconds per screen second: a 10 m/s wind crosses the site in 20 s. */
  readonly timeScale: number;
  readonly count: number;
  private readonly side: number;
  private readonly targets: [WebGLRenderTarget, WebGLRenderTarget];
  private readonly seed: DataTexture;
  private readonly windData: Float32Array;
  private readonly windTexture: DataTexture;
  private readonly heightTexture: DataTexture;
  private readonly updateMaterial: ShaderMaterial;
  private readonly quad: Mesh<BufferGeometry, ShaderMaterial>;
  private readonly updateScene = new Scene();
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private state: Texture;
  private next = 0;
  private hasWind = false;
  private shown = true;
  /** Wind seconds advanced and steps taken since construction. */
  seconds = 0;
  steps = 0;

  /**
   * @param elevation the DEM (m, row-major, nx x ny, row 0 north) the particles fly over
   * @param base elevation at world y = 0
   * @param extent the terrain's larger horizontal size (world units = metres)
   */
  constructor(frame: CellFrame, elevation: Float32Array, nx: number, ny: number, cellMetres: [number, number], base: number, extent: number, exaggeration: number, options: WindParticlesOptions = {}) {
    this.count = options.count ?? DEFAULT_PARTICLE_COUNT;
    this.side = Math.round(Math.sqrt(this.count));
    if (this.side * this.side !== this.count) throw new RangeError(`particle count ${this.count} is not a square number`);
    this.timeScale = particleTimeScale(extent);

    const positions = new Float32Array(4 * this.count);
    for (let i = 0; i < this.count; i++) {
      positions[4 * i] = Math.random();
      positions[4 * i + 1] = Math.random();
      positions[4 * i + 3] = 1;
    }
    this.seed = dataTexture(positions, this.side, this.side, RGBAFormat);
    this.state = this.seed;
    const target = () =>
      new WebGLRenderTarget(this.side, this.side, { type: FloatType, format: RGBAFormat, minFilter: NearestFilter, magFilter: NearestFilter, depthBuffer: false, stencilBuffer: false });
    this.targets = [target(), target()];

    this.windData = new Float32Array(2 * nx * ny);
    this.windTexture = dataTexture(this.windData, nx, ny, RGFormat);
    const heights = new Float32Array(nx * ny);
    for (let k = 0; k < heights.length; k++) {
      const h = elevation[k]!;
      heights[k] = h === h ? h - base : 0;
    }
    this.heightTexture = dataTexture(heights, nx, ny, RedFormat);

    const common = {
      wind: { value: this.windTexture },
      gridSize: { value: [nx, ny] },
      cellMetres: { value: cellMetres },
      maxSpeed: { value: 1 },
    };
    this.updateMaterial = new ShaderMaterial({
      vertexShader: updateVertex,
      fragmentShader: updateFragment,
      uniforms: { ...common, state: { value: this.state }, seconds: { value: 0 }, seed: { value: 0 }, dropRate: { value: [0, 0] } },
      depthTest: false,
      depthWrite: false,
    });
    const triangle = new BufferGeometry();
    triangle.setAttribute('position', new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3));
    this.quad = new Mesh(triangle, this.updateMaterial);
    this.quad.frustumCulled = false;
    this.updateScene.add(this.quad);

    const vertices = new Float32Array(6 * this.count);
    for (let i = 0; i < this.count; i++) {
      const x = i % this.side;
      const y = Math.floor(i / this.side);
      vertices.set([x, y, 0, x, y, 1], 6 * i);
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(vertices, 3));
    const material = new ShaderMaterial({
      vertexShader: drawVertex,
      fragmentShader: drawFragment,
      uniforms: {
        ...common,
        state: { value: this.state },
        height: { value: this.heightTexture },
        cells: { value: [frame.x0, frame.z0, frame.cellX, frame.cellZ] },
        exaggeration: { value: exaggeration },
        lift: { value: LIFT * extent },
        trail: { value: TRAIL_S * this.timeScale },
      },
      transparent: true,
      depthWrite: false,
    });
    this.lines = new LineSegments(geometry, material);
    this.lines.name = 'wind-particles';
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 2;
    this.lines.visible = false;
  }

  /** Whether the particles move and are drawn: a wind is set and the layer is switched on. */
  get active(): boolean {
    return this.hasWind && this.shown;
  }

  /** The frame's wind (m/s along the grid's east and north axes, one value per DEM cell, row 0 north), or none. */
  setWind(u: Float32Array | null, v: Float32Array | null): void {
    const n = this.windData.length / 2;
    if (u && v && (u.length !== n || v.length !== n)) throw new RangeError(`a wind of ${u.length} cells for a ${n}-cell terrain`);
    this.hasWind = u !== null && v !== null;
    if (u && v) {
      let max = 0;
      for (let k = 0; k < n; k++) {
        const a = u[k]! === u[k]! ? u[k]! : 0;
        const b = v[k]! === v[k]! ? v[k]! : 0;
        this.windData[2 * k] = a;
        this.windData[2 * k + 1] = b;
        max = Math.max(max, a * a + b * b);
      }
      this.windTexture.needsUpdate = true;
      const speed = Math.max(Math.sqrt(max), 0.1);
      this.updateMaterial.uniforms.maxSpeed!.value = speed;
      this.lines.material.uniforms.maxSpeed!.value = speed;
    }
    this.lines.visible = this.active;
  }

  setVisible(on: boolean): void {
    this.shown = on;
    this.lines.visible = this.active;
  }

  setExaggeration(exaggeration: number): void {
    this.lines.material.uniforms.exaggeration!.value = exaggeration;
  }

  /** Moves every particle `windSeconds` along the wind (ping-pong render pass); `screenSeconds` sets how many are dropped. */
  step(renderer: WebGLRenderer, windSeconds: number, screenSeconds: number): void {
    if (!this.active || !(windSeconds > 0)) return;
    const target = this.targets[this.next]!;
    const u = this.updateMaterial.uniforms;
    u.state!.value = this.state;
    u.seconds!.value = windSeconds;
    u.seed!.value = Math.random() + 0.5;
    u.dropRate!.value = [screenSeconds / LIFETIME_S, screenSeconds / FAST_LIFETIME_S - screenSeconds / LIFETIME_S];
    const previous = renderer.getRenderTarget();
    renderer.setRenderTarget(target);
    renderer.render(this.updateScene, this.camera);
    renderer.setRenderTarget(previous);
    this.state = target.texture;
    this.lines.material.uniforms.state!.value = this.state;
    this.next = 1 - this.next;
    this.seconds += windSeconds;
    this.steps++;
  }

  /** Reads particle 0's position back (x, y in grid fractions), which waits for the last step to finish: for benchmarks and tests. */
  sync(renderer: WebGLRenderer): [number, number] {
    const texel = new Float32Array(4);
    renderer.readRenderTargetPixels(this.targets[1 - this.next]!, 0, 0, 1, 1, texel);
    return [texel[0]!, texel[1]!];
  }

  dispose(): void {
    this.lines.geometry.dispose();
    this.lines.material.dispose();
    this.quad.geometry.dispose();
    this.updateMaterial.dispose();
    for (const t of this.targets) t.dispose();
    this.seed.dispose();
    this.windTexture.dispose();
    this.heightTexture.dispose();
    this.lines.removeFromParent();
  }
}

function dataTexture(data: Float32Array, width: number, height: number, format: typeof RGBAFormat | typeof RGFormat | typeof RedFormat): DataTexture {
  const texture = new DataTexture(data, width, height, format, FloatType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  return texture;
}
