/**
 * Ripples on the flood water: the slope of a wind-rippled surface for the
 * water layer's fragment shader, as GLSL plus the per-octave numbers it
 * reads from uniforms.
 *
 * The surface is a sum of octaves of flow noise (simplex gradient noise
 * whose gradients turn with time, as in Gustavson and McEwan's psrdnoise,
 * after Perlin and Neyret's flow noise) on a ladder of world wavelengths,
 * {@link SHORTEST_RIPPLE_M} doubling {@link RIPPLE_LADDER} - 1 times. Each
 * octave is stretched {@link CREST_LENGTH} times along its crests (wind
 * ripples are longer than they are wide) and travels a little either side
 * of the wind, so crests cross rather than march in step. A fragment sums
 * only {@link RIPPLE_BAND} of them: the shortest at least
 * {@link MIN_RIPPLE_PIXELS} / 2 pixels long, fading in and out at the band's
 * ends as the camera moves. So far away nothing aliases, close up ripples
 * stay smooth instead of turning to pixel noise, and the pattern is fixed
 * in the world as the band slides (zooming does not make it swim). Octaves
 * too short to draw still roughen the sun's glint (their slope variance).
 *
 * Each octave drifts with the wind at the phase speed of a deep-water wave
 * of its length, sqrt(g lambda / 2 pi), and turns at the matching frequency,
 * so long waves move and change slowly and short ones quickly, on screen as
 * on water. Travel and turn are computed here in double precision and
 * wrapped (the noise repeats every {@link LATTICE_PERIOD} cells, the turn
 * every 2 pi), so the clock never loses precision or jumps.
 */

/** Octaves on the ladder, the shortest and the number a fragment sums. */
export const RIPPLE_LADDER = 16;
export const SHORTEST_RIPPLE_M = 0.25;
export const RIPPLE_BAND = 4;
/** The band's shortest octave is this many screen pixels long (half that as it fades out). */
export const MIN_RIPPLE_PIXELS = 10;
/** Water shallower than this stays calm; ripples reach full strength at FULL_RIPPLE_DEPTH_M. */
export const CALM_DEPTH_M = 0.05;
export const FULL_RIPPLE_DEPTH_M = 0.3;
/** Crests are this many wavelengths long. */
export const CREST_LENGTH = 2;
/** Root-mean-square slope of one octave. */
export const RIPPLE_SLOPE = 0.05;
/** Octaves too short to draw that still roughen the glint, at most. */
export const UNRESOLVED_OCTAVES = 5;
/** The noise repeats after this many cells along an octave's travel (so its travel wraps without a seam). */
export const LATTICE_PERIOD = 289;
/** Ripples travel towards the north-east (a light south-westerly wind): world x east, z south. */
export const RIPPLE_WIND: readonly [number, number] = [Math.SQRT1_2, -Math.SQRT1_2];
/** Seconds a flow-map cycle lasts: ripples ride the flow this long before fading into a fresh phase. */
export const FLOW_CYCLE_S = 2;

const G = 9.81;
const TAU = 2 * Math.PI;
const GOLDEN_RATIO = (Math.sqrt(5) - 1) / 2;
/** Octaves alternate about this far (radians) either side of the wind. */
const SPREAD = 0.5;
/** Simplex noise cells per wavelength: its dominant wavelength is about 1.17 cells (measured). */
export const CELLS_PER_WAVELENGTH = 1.17;
/** Mean squared gradient of the noise, per cell, along each axis (measured: 6.38 in all). */
const NOISE_GRADIENT_VARIANCE = 3.19;
/** Scales a stretched noise gradient (per cell) to RIPPLE_SLOPE root-mean-square. */
const SLOPE_SCALE = RIPPLE_SLOPE / Math.sqrt(NOISE_GRADIENT_VARIANCE * (1 + 1 / CREST_LENGTH ** 2));

export interface RippleOctave {
  wavelength: number;
  /** Travel direction (unit, world x and z): across the crests. */
  direction: readonly [number, number];
  /** m/s, and radians/s of gradient spin. */
  speed: number;
  spinRate: number;
}

export const RIPPLE_OCTAVES: readonly RippleOctave[] = Array.from({ length: RIPPLE_LADDER }, (_, k) => {
  const wavelength = SHORTEST_RIPPLE_M * 2 ** k;
  // Alternate sides, jittered (golden-ratio steps) so no two octaves share a direction.
  const turn = Math.atan2(RIPPLE_WIND[1], RIPPLE_WIND[0]) + (k % 2 ? 1 : -1) * SPREAD * (0.75 + 0.5 * ((k * GOLDEN_RATIO) % 1));
  return {
    wavelength,
    direction: [Math.cos(turn), Math.sin(turn)],
    speed: Math.sqrt((G * wavelength) / TAU),
    spinRate: Math.sqrt((TAU * G) / wavelength),
  };
});

/** Per octave, vec4(its travel direction, noise cells per metre, 0): the `rippleOctave` uniform. */
export function rippleOctaveUniform(): Float32Array {
  const out = new Float32Array(4 * RIPPLE_LADDER);
  RIPPLE_OCTAVES.forEach((o, k) => out.set([o.direction[0], o.direction[1], CELLS_PER_WAVELENGTH / o.wavelength, 0], 4 * k));
  return out;
}

/**
 * Per octave at `seconds` on the ripple clock, vec4(where its pattern is,
 * in noise cells along its travel, wrapped to the lattice period; its
 * gradients' turn in radians, wrapped to 2 pi; where it is across its
 * travel, a fixed offset so octaves differ; 0): the `ripplePhase` uniform.
 */
export function ripplePhases(seconds: number, out: Float32Array = new Float32Array(4 * RIPPLE_LADDER)): Float32Array {
  const wrap = (x: number, period: number) => x - period * Math.floor(x / period);
  RIPPLE_OCTAVES.forEach((o, k) => {
    out[4 * k] = wrap((CELLS_PER_WAVELENGTH * o.speed * seconds) / o.wavelength + 97 * k, LATTICE_PERIOD);
    out[4 * k + 1] = wrap(o.spinRate * seconds, TAU);
    out[4 * k + 2] = 53 * k;
    out[4 * k + 3] = 0;
  });
  return out;
}

const f = (x: number) => x.toFixed(8);

/**
 * GLSL (ES 3.00) for the fragment shader: the uniforms above and
 * `vec2 rippleSlope(vec2 xz, int k0, float fade)`, the slope (dh/dx, dh/dz)
 * of octaves k0 .. k0 + RIPPLE_BAND - 1 at world point xz, the first
 * weighted 1 - fade and the last fade; and `float rippleVariance(float lod)`,
 * the slope variance of the octaves below the band at that level.
 */
export const RIPPLE_GLSL = /* glsl */ `
uniform vec4 rippleOctave[${RIPPLE_LADDER}];
uniform vec4 ripplePhase[${RIPPLE_LADDER}];

// The gradient of 2D simplex noise whose gradients are all turned by alpha
// (after psrdnoise, Gustavson and McEwan 2022, MIT licence); it repeats every
// ${LATTICE_PERIOD} cells along x.
vec2 rippleNoiseSlope(vec2 x, float alpha) {
  vec2 uv = vec2(x.x + x.y * 0.5, x.y);
  vec2 i0 = floor(uv);
  vec2 f0 = uv - i0;
  float cmp = step(f0.y, f0.x);
  vec2 o1 = vec2(cmp, 1.0 - cmp);
  vec2 i1 = i0 + o1;
  vec2 i2 = i0 + 1.0;
  vec2 v0 = vec2(i0.x - i0.y * 0.5, i0.y);
  vec2 v1 = vec2(v0.x + o1.x - o1.y * 0.5, v0.y + o1.y);
  vec2 v2 = vec2(v0.x + 0.5, v0.y + 1.0);
  vec2 x0 = x - v0;
  vec2 x1 = x - v1;
  vec2 x2 = x - v2;
  vec3 hash = mod(vec3(i0.x, i1.x, i2.x), ${LATTICE_PERIOD.toFixed(1)});
  hash = mod((hash * 51.0 + 2.0) * hash + vec3(i0.y, i1.y, i2.y), ${LATTICE_PERIOD.toFixed(1)});
  hash = mod((hash * 34.0 + 10.0) * hash, ${LATTICE_PERIOD.toFixed(1)});
  vec3 psi = hash * 0.07482 + alpha;
  vec3 gx = cos(psi);
  vec3 gy = sin(psi);
  vec2 g0 = vec2(gx.x, gy.x);
  vec2 g1 = vec2(gx.y, gy.y);
  vec2 g2 = vec2(gx.z, gy.z);
  vec3 w = max(0.8 - vec3(dot(x0, x0), dot(x1, x1), dot(x2, x2)), 0.0);
  vec3 w2 = w * w;
  vec3 w4 = w2 * w2;
  vec3 dw = -8.0 * w2 * w * vec3(dot(g0, x0), dot(g1, x1), dot(g2, x2));
  return 10.9 * (w4.x * g0 + dw.x * x0 + w4.y * g1 + dw.y * x1 + w4.z * g2 + dw.z * x2);
}

vec2 rippleSlope(vec2 xz, int k0, float fade) {
  const vec2 stretch = vec2(1.0, ${f(1 / CREST_LENGTH)});
  vec2 slope = vec2(0.0);
  for (int j = 0; j < ${RIPPLE_BAND}; j++) {
    vec4 o = rippleOctave[k0 + j];
    vec4 phase = ripplePhase[k0 + j];
    // Into the octave's frame: x across the crests (where it travels), y along them; then noise cells.
    mat2 toOctave = mat2(o.x, -o.y, o.y, o.x);
    vec2 p = stretch * (toOctave * xz) * o.z - phase.xz;
    vec2 g = stretch * rippleNoiseSlope(p, phase.y);
    float w = j == 0 ? 1.0 - fade : (j == ${RIPPLE_BAND - 1} ? fade : 1.0);
    // Back to world axes (g * toOctave is its transpose times g); height is wavelength x noise, scaled.
    slope += w * (g * toOctave);
  }
  return slope * ${f(SLOPE_SCALE)};
}

float rippleVariance(float lod) {
  return ${f(RIPPLE_SLOPE ** 2)} * clamp(lod, 0.0, ${UNRESOLVED_OCTAVES.toFixed(1)});
}
`;
