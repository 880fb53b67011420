/**
 * How the terrain is shown: hillshade, vertical exaggeration, theme, the
 * water layer, and what the view reports back (frame rate, scale, north). Plain values only; the
 * Three.js scene lives in the TerrainView component.
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export type Theme = 'dark' | 'light';

export const EXAGGERATION_MIN = 1;
export const EXAGGERATION_MAX = 20;
const THEME_KEY = 'terra-twin.theme';

export const useViewStore = defineStore('view', () => {
  const hillshade = ref(true);
  /** The water layer's switch (a run's frames stay either way). */
  const water = ref(true);
  const exaggeration = ref(3);
  const theme = ref<Theme>(storedTheme());
  /** Frames per second of the 3D view, null until measured. */
  const fps = ref<number | null>(null);
  /** Ground metres per screen pixel at the view centre. */
  const metresPerPixel = ref<number | null>(null);
  /** Screen rotation of north, radians clockwise from up. */
  const northAngle = ref(0);
  /** Bumped to ask the view to frame the terrain again. */
  const cameraResets = ref(0);
  /** Bumped to ask the view for a screenshot download. */
  const screenshots = ref(0);

  function toggleHillshade(): void {
    hillshade.value = !hillshade.value;
  }

  function toggleWater(): void {
    water.value = !water.value;
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

  function resetCamera(): void {
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

  return {
    hillshade,
    water,
    exaggeration,
    theme,
    fps,
    metresPerPixel,
    northAngle,
    cameraResets,
    screenshots,
    toggleHillshade,
    toggleWater,
    setExaggeration,
    setTheme,
    toggleTheme,
    resetCamera,
    screenshot,
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
