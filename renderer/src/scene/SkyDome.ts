/**
 * The sky behind the terrain: a box around the camera (it moves with it, so
 * it is never reached) whose fragments are coloured by their direction: a
 * gradient from the horizon to the zenith above, haze below (the view mostly
 * looks down on a block of terrain), and the sun's glow and disc. Colours
 * come from {@link skyPalette}; a cheap analytic gradient rather than a
 * scattering model, so it costs nothing on software GL and never needs tone
 * mapping (which would change the terrain's and the legends' colours).
 * Drawn first, without depth, so everything else is in front of it.
 */
import { BackSide, BoxGeometry, Color, Mesh, ShaderMaterial, Vector3, type Camera } from 'three';
import type { SkyPalette } from './sky-palette';

const vertexShader = /* glsl */ `
varying vec3 vDirection;
void main() {
  vec4 world = modelMatrix * vec4(position, 1.0);
  vDirection = world.xyz - cameraPosition;
  gl_Position = projectionMatrix * viewMatrix * world;
}
`;

const fragmentShader = /* glsl */ `
uniform vec3 zenith;
uniform vec3 horizon;
uniform vec3 haze;
uniform vec3 sunColor;
uniform vec3 sunDirection;
uniform float glow;
uniform float dusk;       // 1 with the sun at the horizon, 0 once it is 12 degrees or more from it
varying vec3 vDirection;

void main() {
  vec3 d = normalize(vDirection);
  float h = d.y;
  // Near sunrise and sunset only the sun's side of the horizon glows; the far side stays cool.
  vec2 across = normalize(d.xz + vec2(1e-6, 0.0));
  vec2 sunAcross = normalize(sunDirection.xz + vec2(1e-6, 0.0));
  float towards = 0.5 + 0.5 * dot(across, sunAcross);
  vec3 rim = mix(mix(horizon, zenith, 0.55), horizon, mix(1.0, towards * towards, dusk));
  // Above: the horizon's pale band thins quickly into the zenith's blue. Below: into the haze.
  vec3 color = h >= 0.0 ? mix(rim, zenith, pow(h, 0.5)) : mix(rim, haze, smoothstep(0.0, 0.22, -h));
  float c = max(dot(d, sunDirection), 0.0);
  // A broad glow (strongest low over the horizon) and the disc, about a degree across.
  float near = 1.0 - smoothstep(0.0, 0.5, abs(h));
  color += sunColor * glow * (0.28 * pow(c, 6.0) * (0.4 + 0.6 * near) + 0.5 * pow(c, 60.0));
  color = mix(color, sunColor * 1.6, glow * smoothstep(0.99985, 0.99993, c) * step(0.0, h + 0.01));
  gl_FragColor = vec4(color, 1.0);
  #include <colorspace_fragment>
}
`;

export class SkyDome {
  readonly mesh: Mesh<BoxGeometry, ShaderMaterial>;

  constructor() {
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: {
        zenith: { value: new Color() },
        horizon: { value: new Color() },
        haze: { value: new Color() },
        sunColor: { value: new Color() },
        sunDirection: { value: new Vector3(0, 1, 0) },
        glow: { value: 0 },
        dusk: { value: 0 },
      },
      side: BackSide,
      depthTest: false,
      depthWrite: false,
    });
    this.mesh = new Mesh(new BoxGeometry(1, 1, 1), material);
    this.mesh.name = 'sky';
    this.mesh.renderOrder = -1000;
    this.mesh.frustumCulled = false;
  }

  /** The palette for the sun's elevation, and the unit vector towards the sun (world: x east, y up, z south). */
  set(palette: SkyPalette, sun: readonly [number, number, number]): void {
    const u = this.mesh.material.uniforms;
    (u.zenith!.value as Color).set(palette.zenith);
    (u.horizon!.value as Color).set(palette.horizon);
    (u.haze!.value as Color).set(palette.haze);
    (u.sunColor!.value as Color).set(palette.sun);
    (u.sunDirection!.value as Vector3).set(...sun).normalize();
    u.glow!.value = palette.glow;
    u.dusk!.value = 1 - Math.min(1, Math.abs(sun[1]) / Math.sin((12 * Math.PI) / 180));
  }

  /** Centres the box on the camera, inside its far plane. */
  follow(camera: Camera & { far: number }): void {
    this.mesh.position.copy(camera.position);
    // A cube of side s reaches s * sqrt(3) / 2 from its centre.
    this.mesh.scale.setScalar(camera.far * 1.1);
    this.mesh.updateMatrixWorld();
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.mesh.removeFromParent();
  }
}
