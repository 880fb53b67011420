/**
 * Keeps the 3D view's atmosphere (TerrainScene.atmosphere) in step with the
 * stores: the switches; the sun for the site's place and the time on show
 * (a weather frame's epoch, or the flood run's start plus its frame time);
 * humidity, cloud and wind from the weather frame; rain from the weather
 * frame's precipitation field or, during a flood run's rain, its intensity.
 *
 * Writes on the view's element, for tests: `data-atmosphere` (the switches
 * on, e.g. "sky fog"), `data-sun` ("elevation/azimuth" in degrees) and
 * `data-rain` ("none", a rate in mm/h, or "field").
 *
 * With `test-hooks` in the page's address, `window.terraAtmosphereTest` sets
 * a rain or cloud field directly (tests of what the layers draw before the
 * weather carries those fields).
 */
import { computed, onMounted, shallowRef, watch, type Ref } from 'vue';
import { floodRainRate } from '../scene/rain-rate';
import { siteLonLat, siteLocalToEpoch } from '../scene/site-location';
import type { TerrainScene } from '../scene/TerrainScene';
import { useRunStore } from '../stores/run';
import { useSiteStore } from '../stores/site';
import { useTimelineStore } from '../stores/timeline';
import { ATMOSPHERE_LAYERS, useViewStore } from '../stores/view';

export interface AtmosphereTestHooks {
  /** A rain rate per DEM cell (mm/h, row 0 north), or null to go back to the stores' rain. */
  setRain(field: number[] | null): void;
  /** A cloud fraction per DEM cell, or null to go back to the weather's. */
  setClouds(field: number[] | null): void;
}

declare global {
  interface Window {
    terraAtmosphereTest?: AtmosphereTestHooks;
  }
}

export function useAtmosphere(getScene: () => TerrainScene | null, host: Ref<HTMLElement | null>): void {
  const view = useViewStore();
  const site = useSiteStore();
  const run = useRunStore();
  const timeline = useTimelineStore();
  const testRain = shallowRef<Float32Array | null>(null);
  const testClouds = shallowRef<Float32Array | null>(null);

  const place = computed(() => (site.current ? siteLonLat(site.current.georef) : null));
  /** Fields of the frame on show only if they fit the terrain on show (frames of another site are being dropped). */
  const fits = (field: Float32Array | null | undefined): Float32Array | null =>
    field && site.current && field.length === site.current.elevation.length ? field : null;

  const time = computed(() => {
    const weather = timeline.weatherFrame;
    if (weather) return weather.time * 1000;
    const p = place.value;
    return p ? siteLocalToEpoch(view.floodStart, p.lon) + (timeline.floodFrame?.time ?? 0) * 1000 : NaN;
  });
  const rain = computed(() => {
    if (testRain.value) return { field: fits(testRain.value), rate: 0 };
    const weather = timeline.weatherFrame;
    // The weather's precipitation field (mm/h), when its frames carry one.
    if (weather) return { field: fits((weather as { precipitation?: Float32Array }).precipitation), rate: 0 };
    const flood = timeline.floodFrame;
    return { field: null, rate: flood ? floodRainRate(run.rain, flood.time) : 0 };
  });

  function applySwitches(): void {
    getScene()?.atmosphere.setSwitches({ ...view.atmosphere });
    if (host.value) host.value.dataset.atmosphere = ATMOSPHERE_LAYERS.filter((l) => view.atmosphere[l]).join(' ') || 'none';
  }

  function applySun(): void {
    const scene = getScene();
    if (!scene) return;
    scene.atmosphere.setSun(Number.isFinite(time.value) ? time.value : null, place.value);
    const { elevation, azimuth } = scene.atmosphere.sunNow;
    if (host.value) host.value.dataset.sun = `${elevation.toFixed(2)}/${azimuth.toFixed(2)}`;
  }

  function applyWeather(): void {
    const atmosphere = getScene()?.atmosphere;
    if (!atmosphere) return;
    const frame = timeline.weatherFrame;
    atmosphere.setHumidity(fits(frame?.relativeHumidity), fits(frame?.cloudFraction));
    atmosphere.setClouds(fits(testClouds.value) ?? fits(frame?.cloudFraction));
    atmosphere.setWind(fits(frame?.u), fits(frame?.v));
  }

  function applyRain(): void {
    const { field, rate } = rain.value;
    getScene()?.atmosphere.setRain(field, rate);
    if (host.value) host.value.dataset.rain = field ? 'field' : rate > 0 ? String(rate) : 'none';
  }

  function applyAll(): void {
    applySwitches();
    applySun();
    applyWeather();
    applyRain();
  }

  // The view makes its scene on mount and shows the site then; after it (this is set up later), everything is pushed.
  onMounted(applyAll);
  // A new terrain (the view's own watcher, set up earlier, has just shown it): its layers start empty.
  watch(() => site.version, applyAll);
  watch(() => ({ ...view.atmosphere }), applySwitches);
  watch([time, place], applySun);
  watch([() => timeline.weatherFrame, testClouds], applyWeather);
  watch(rain, applyRain);

  if (new URLSearchParams(location.search).has('test-hooks')) {
    window.terraAtmosphereTest = {
      setRain: (field) => (testRain.value = field ? Float32Array.from(field) : null),
      setClouds: (field) => (testClouds.value = field ? Float32Array.from(field) : null),
    };
  }
}
