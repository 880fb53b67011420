/**
 * The weather around the terrain, owned by the TerrainScene: the sky (a dome
 * coloured for the sun's elevation), the light from the real sun, fog, rain
 * and a cloud deck. Each has a switch; what they show comes from the time
 * and place (the sun), the weather frame (humidity and cloud near the
 * ground, wind) and the rain (a field or one rate).
 *
 * With the sky off, the lights and background are the cartographic ones the
 * view always had (sun from the north-west, 45 degrees up; theme colour).
 * Fog fades the terrain, probes, rain and clouds towards the sky's haze (or
 * the background); the water and the weather overlay stay unfogged so their
 * colours still read against their legends.
 *
 * The sky dome lives while the sky is on; rain and clouds belong to one
 * terrain and are made the first time they have something to show.
 */
import { Color, Fog, type DirectionalLight, type HemisphereLight, type PerspectiveCamera, type Scene } from 'three';
import { CloudLayer } from './CloudLayer';
import { RainParticles } from './RainParticles';
import { fieldMean, fogThickness, MIN_LIGHT_ELEVATION, mixHex, skyPalette, type SkyPalette } from './sky-palette';
import { SkyDome } from './SkyDome';
import type { LonLat } from './site-location';
import { sunPosition } from './sun-position';
import { SUN, sunDirection, type CellFrame } from './terrain-grid';

/** What the per-terrain layers need to know of the terrain on show. */
export interface AtmosphereTerrain {
  frame: CellFrame;
  elevation: Float32Array;
  nx: number;
  ny: number;
  /** Elevation at world y = 0, the terrain's size (world units = metres), the top's height (exaggerated). */
  base: number;
  width: number;
  depth: number;
  top: number;
  exaggeration: number;
}

export interface AtmosphereSwitches {
  sky: boolean;
  fog: boolean;
  rain: boolean;
  clouds: boolean;
}

/** The cartographic sun (terrain-grid SUN) as azimuth and elevation, for the sky when the time or place is unknown. */
const CARTOGRAPHIC = { azimuth: 315, elevation: 45 };

export class Atmosphere {
  private readonly switches: AtmosphereSwitches = { sky: false, fog: false, rain: false, clouds: false };
  private readonly defaults: { sun: Color; sunIntensity: number; sky: Color; ground: Color; skyIntensity: number };
  private readonly fog = new Fog(0x000000, 1, 2);
  private readonly background = new Color();
  private dome: SkyDome | null = null;
  private rain: RainParticles | null = null;
  private clouds: CloudLayer | null = null;
  private terrain: AtmosphereTerrain | null = null;
  private sun = CARTOGRAPHIC;
  private palette: SkyPalette = skyPalette(CARTOGRAPHIC.elevation);
  private fogShare = fogThickness(null, null);
  private rainField: Float32Array | null = null;
  private rainRate = 0;
  private cloudField: Float32Array | null = null;
  private wind: [number, number] = [0, 0];

  /** @param changed called when the light or anything drawn changed: the scene places its sun and redraws */
  constructor(
    private readonly scene: Scene,
    private readonly sunLight: DirectionalLight,
    private readonly skyLight: HemisphereLight,
    private readonly changed: () => void,
  ) {
    this.defaults = {
      sun: sunLight.color.clone(),
      sunIntensity: sunLight.intensity,
      sky: skyLight.color.clone(),
      ground: skyLight.groundColor.clone(),
      skyIntensity: skyLight.intensity,
    };
    this.background.copy(scene.background instanceof Color ? scene.background : new Color());
  }

  /** Unit vector (world) the directional light shines from: the sun (never lower than MIN_LIGHT_ELEVATION) with the sky on, else the cartographic sun. */
  get lightDirection(): readonly [number, number, number] {
    return this.switches.sky ? sunDirection(this.sun.azimuth, Math.max(this.sun.elevation, MIN_LIGHT_ELEVATION)) : SUN;
  }

  /** Whether anything moves by itself (rain falling): the scene keeps drawing. */
  get animating(): boolean {
    return this.rain?.active === true;
  }

  /** The sun's position used now (degrees), for the status and tests. */
  get sunNow(): Readonly<{ azimuth: number; elevation: number }> {
    return this.sun;
  }

  setTerrain(terrain: AtmosphereTerrain): void {
    this.clearTerrain();
    this.terrain = terrain;
    const cells = terrain.nx * terrain.ny;
    if (this.rainField?.length !== cells) this.rainField = null;
    if (this.cloudField?.length !== cells) this.cloudField = null;
    this.syncLayers();
  }

  clearTerrain(): void {
    this.rain?.dispose();
    this.clouds?.dispose();
    this.rain = null;
    this.clouds = null;
    this.terrain = null;
  }

  setExaggeration(exaggeration: number, top: number): void {
    if (!this.terrain) return;
    this.terrain = { ...this.terrain, exaggeration, top };
    this.rain?.setExaggeration(exaggeration);
    this.clouds?.setTop(top);
  }

  setSwitches(next: Partial<AtmosphereSwitches>): void {
    Object.assign(this.switches, next);
    if (this.switches.sky && !this.dome) {
      this.dome = new SkyDome();
      this.scene.add(this.dome.mesh);
    } else if (!this.switches.sky && this.dome) {
      this.dome.dispose();
      this.dome = null;
    }
    this.scene.fog = this.switches.fog ? this.fog : null;
    this.syncLayers();
    this.restyle();
  }

  /** The theme's background: the view's colour with the sky off, and the fog's then. */
  setBackground(color: string): void {
    this.background.set(color);
    this.restyle();
  }

  /** The time on show (epoch ms, UTC) at a place; either null: the sky keeps the cartographic sun. */
  setSun(epochMs: number | null, place: LonLat | null): void {
    this.sun = epochMs !== null && Number.isFinite(epochMs) && place ? sunPosition(epochMs, place.lat, place.lon) : CARTOGRAPHIC;
    this.palette = skyPalette(this.sun.elevation);
    this.restyle();
  }

  /** Relative humidity and cloud/fog fraction at the ground (fractions per DEM cell), when the weather has them. */
  setHumidity(relativeHumidity: Float32Array | null, cloudFraction: Float32Array | null): void {
    this.fogShare = fogThickness(fieldMean(relativeHumidity), fieldMean(cloudFraction));
    this.changed();
  }

  /** Rain: a rate per DEM cell (mm/h, row 0 north), or with no field one rate everywhere (mm/h; 0: dry). */
  setRain(field: Float32Array | null, uniformMmPerH = 0): void {
    const cells = this.terrain ? this.terrain.nx * this.terrain.ny : null;
    if (field && cells !== null && field.length !== cells) throw new RangeError(`a rain field of ${field.length} cells for a ${cells}-cell terrain`);
    this.rainField = field;
    this.rainRate = uniformMmPerH;
    this.syncLayers();
    this.rain?.setRain(field, uniformMmPerH);
    this.changed();
  }

  /** The cloud fraction per DEM cell (0..1), or none (no deck). */
  setClouds(fraction: Float32Array | null): void {
    this.cloudField = fraction;
    this.syncLayers();
    this.clouds?.setCover(fraction);
    this.changed();
  }

  /** The frame's wind (m/s east and north per DEM cell): its mean slants the rain. */
  setWind(u: Float32Array | null, v: Float32Array | null): void {
    this.wind = [fieldMean(u) ?? 0, fieldMean(v) ?? 0];
    this.rain?.setWind(...this.wind);
    this.changed();
  }

  /** Advances what moves by itself by this many screen seconds. */
  step(seconds: number): void {
    this.rain?.step(seconds);
  }

  /** Before each render: the dome around the camera, the fog's range around the orbit target. */
  beforeRender(camera: PerspectiveCamera, orbitDistance: number): void {
    this.dome?.follow(camera);
    if (!this.switches.fog || !this.terrain) return;
    // No fog on the terrain's near edge; `fogShare` of fog colour on its far edge.
    const extent = Math.max(this.terrain.width, this.terrain.depth);
    this.fog.near = Math.max(0, orbitDistance - extent / 2);
    this.fog.far = this.fog.near + extent / this.fogShare;
  }

  dispose(): void {
    this.clearTerrain();
    this.dome?.dispose();
    this.dome = null;
    if (this.scene.fog === this.fog) this.scene.fog = null;
  }

  /** Makes the per-terrain layers that now have something to show, and sets their switches. */
  private syncLayers(): void {
    const t = this.terrain;
    if (!t) return;
    const raining = this.rainField !== null || this.rainRate > 0;
    if (this.switches.rain && raining && !this.rain) {
      this.rain = new RainParticles(t.frame, t.elevation, t.nx, t.ny, t.base, Math.max(t.width, t.depth), t.exaggeration);
      this.rain.setRain(this.rainField, this.rainRate);
      this.rain.setWind(...this.wind);
      this.scene.add(this.rain.lines);
    }
    if (this.switches.clouds && this.cloudField && !this.clouds) {
      this.clouds = new CloudLayer(t.frame, t.nx, t.ny, t.width, t.depth, t.top);
      this.clouds.setCover(this.cloudField);
      this.scene.add(this.clouds.mesh);
    }
    this.rain?.setVisible(this.switches.rain);
    this.clouds?.setVisible(this.switches.clouds);
    this.restyle();
  }

  /** Lights, sky, fog and cloud colours for the sun and switches now. */
  private restyle(): void {
    const p = this.palette;
    const sky = this.switches.sky;
    if (sky) {
      this.sunLight.color.set(p.sun);
      this.sunLight.intensity = p.sunLight;
      // A hint of the sky's colour only: a blue hemisphere light would tint the hypsometric colours.
      this.skyLight.color.set(mixHex('#ffffff', mixHex(p.horizon, p.zenith, 0.4), 0.3));
      this.skyLight.groundColor.copy(this.defaults.ground);
      this.skyLight.intensity = p.skyLight;
      this.dome?.set(p, sunDirection(this.sun.azimuth, this.sun.elevation));
    } else {
      this.sunLight.color.copy(this.defaults.sun);
      this.sunLight.intensity = this.defaults.sunIntensity;
      this.skyLight.color.copy(this.defaults.sky);
      this.skyLight.intensity = this.defaults.skyIntensity;
    }
    if (sky) this.fog.color.set(p.haze);
    else this.fog.color.copy(this.background);
    // Cloud tops take the sun's colour, dimmed as it sets; their bases the sky's.
    const daylight = Math.max(0.25, Math.min(1, p.sunLight / 1.6));
    const lit = mixHex(p.zenith, mixHex('#ffffff', p.sun, 0.3), daylight);
    this.clouds?.setColors(sky ? lit : '#f4f6f8', sky ? mixHex(lit, p.zenith, 0.45) : '#9aa3ae');
    this.changed();
  }
}
