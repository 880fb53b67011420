/**
 * How the terrain is shown: hillshade, vertical exaggeration, theme, the
 * water layer and its ripples, and what the view reports back (frame rate, scale, north). Plain values only; the
 * Three.js scene lives in the TerrainView component.
 */
import type { CameraPreset } from '../scene/camera-framing';
import { defineStore } from 'pinia';
import { reactive, ref, shallowRef, watch } from 'vue';
import { todayAt } from '../scene/site-location';

export type Theme = 'dark' | 'light';
/** What the flood layer shows: the frame's depth, or a field derived from the frames so far (stores/flood-analysis.ts). */
export type FloodLayer = 'depth' | 'max-depth' | 'hazard' | 'arrival';
export const FLOOD_LAYERS: readonly FloodLayer[] = ['depth', 'max-depth', 'hazard', 'arrival'];

export interface TerrainDetail {
  full: boolean;
  vertices: number;
}

export const EXAGGERATION_MIN = 1;
export const EXAGGERATION_MAX = 20;
const THEME_KEY = 'terra-twin.theme';
/** The atmosphere's layers in the 3D view, each with a switch (kept across sessions, off at first). */
export type AtmosphereLayer = 'sky' | 'fog' | 'rain' | 'clouds';
export const ATMOSPHERE_LAYERS: readonly AtmosphereLayer[] = ['sky', 'fog', 'rain', 'clouds'];
const ATMOSPHERE_KEY = 'terra-twin.atmosphere';
const RIPPLES_KEY = 'terra-twin.ripples';

export const useViewStore = defineStore('view', () => {
  const hillshade = ref(true);
  /** The water layer's switch (a run's frames stay either way). */
  const water = ref(true);
  const floodLayer = ref<FloodLayer>('depth');
  /** Velocity arrows on the water. */
  const arrows = ref(false);
  /** Animated ripples on the water (kept across sessions; off at first where the system asks for reduced motion). */
  const ripples = ref(storedRipples());
  const exaggeration = ref(3);
  const theme = ref<Theme>(storedTheme());
  /** Frames per second of the 3D view, null until measured. */
  const fps = ref<number | null>(null);
  /** Ground metres per screen pixel at the view centre. */
  const metresPerPixel = ref<number | null>(null);
  /** Screen rotation of north, radians clockwise from up. */
  const northAngle = ref(0);
  /** The terrain's level of detail as last drawn (null: no terrain): every tile at full resolution, and the vertices drawn. */
  const terrainDetail = shallowRef<TerrainDetail | null>(null);
  /** Bumped to ask the view to frame the terrain again. */
  const cameraResets = ref(0);
  const cameraPreset = ref<CameraPreset>('south');
  /** Bumped to ask the view for a screenshot download. */
  const screenshots = ref(0);
  const atmosphere = reactive(storedAtmosphere());
  /** When a flood run starts on the site's clock ("YYYY-MM-DDTHH:MM", solar time zone): it places the sun as the flood plays. */
  const floodStart = ref(todayAt(10));

  /** Called every frame drawn: changes the state (and so the status bar) only when the detail changes. */
  function setTerrainDetail(detail: TerrainDetail | null): void {
    const old = terrainDetail.value;
    if (old === detail || (old && detail && old.full === detail.full && old.vertices === detail.vertices)) return;
    terrainDetail.value = detail;
  }

  function toggleHillshade(): void {
    hillshade.value = !hillshade.value;
  }

  function toggleWater(): void {
    water.value = !water.value;
  }

  function setFloodLayer(value: FloodLayer): void {
    floodLayer.value = value;
  }

  /** The next flood layer, in FLOOD_LAYERS order (a keyboard shortcut). */
  function cycleFloodLayer(): void {
    floodLayer.value = FLOOD_LAYERS[(FLOOD_LAYERS.indexOf(floodLayer.value) + 1) % FLOOD_LAYERS.length]!;
  }

  function toggleArrows(): void {
    arrows.value = !arrows.value;
  }

  function toggleRipples(): void {
    ripples.value = !ripples.value;
  }

  function setExaggeration(value: number): void {
    if (!Number.isFinite(value)) return;
    exaggeration.value = Math.min(EXAGGERATION_MAX, Math.max(EXAGGERATION_MIN, value));
  }

  function setTheme(value: Theme): void {
    theme.value = value;
  }

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  function toggleAtmosphere(layer: AtmosphereLayer): void {
    atmosphere[layer] = !atmosphere[layer];
  }

  function setFloodStart(value: string): void {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) floodStart.value = value;
  }

  /** Frames the whole terrain from a named side (default: the home view, from the south). */
  function resetCamera(preset: CameraPreset = 'south'): void {
    cameraPreset.value = preset;
    cameraResets.value++;
  }

  function screenshot(): void {
    screenshots.value++;
  }

  watch(
    theme,
    (value) => {
      document.documentElement.dataset.theme = value;
      try {
        localStorage.setItem(THEME_KEY, value);
      } catch {
        // Storage may be unavailable (private mode); the theme still applies.
      }
    },
    { immediate: true },
  );

  // Stored only once chosen: until then the system's motion preference decides.
  watch(ripples, (on) => {
    try {
      localStorage.setItem(RIPPLES_KEY, on ? 'on' : 'off');
    } catch {
      // Storage may be unavailable; the switch still applies.
    }
  });

  watch(atmosphere, (value) => {
    try {
      localStorage.setItem(ATMOSPHERE_KEY, JSON.stringify(value));
    } catch {
      // Storage may be unavailable; the switches still apply.
    }
  });

  return {
    hillshade,
    water,
    exaggeration,
    theme,
    fps,
    metresPerPixel,
    northAngle,
    terrainDetail,
    setTerrainDetail,
    cameraResets,
    cameraPreset,
    screenshots,
    toggleHillshade,
    toggleWater,
    floodLayer,
    arrows,
    setFloodLayer,
    cycleFloodLayer,
    toggleArrows,
    ripples,
    toggleRipples,
    setExaggeration,
    setTheme,
    toggleTheme,
    resetCamera,
    screenshot,
    atmosphere,
    floodStart,
    toggleAtmosphere,
    setFloodStart,
  };
});

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    if (value === 'light' || value === 'dark') return value;
  } catch {
    // fall through to the default
  }
  return 'dark';
}

function storedRipples(): boolean {
  try {
    const value = localStorage.getItem(RIPPLES_KEY);
    if (value === 'on' || value === 'off') return value === 'on';
  } catch {
    // fall through to the system's preference
  }
  return !(typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches);
}

function storedAtmosphere(): Record<AtmosphereLayer, boolean> {
  const switches: Record<AtmosphereLayer, boolean> = { sky: false, fog: false, rain: false, clouds: false };
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(ATMOSPHERE_KEY) ?? '{}');
    for (const layer of ATMOSPHERE_LAYERS) {
      const on = (stored as Partial<Record<AtmosphereLayer, unknown>> | null)?.[layer];
      if (typeof on === 'boolean') switches[layer] = on;
    }
  } catch {
    // unreadable: the defaults
  }
  return switches;
}
