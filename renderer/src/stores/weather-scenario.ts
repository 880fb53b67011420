/**
 * The weather-scenario editor: a synthetic storm over the open site made of a
 * base state, a front passage (direction, speed, when its line crosses the
 * site's centre, temperature drop, wind shift, pressure trough, moist band)
 * and a moving rain cell (a path picked on the terrain, radius, peak rate,
 * speed). It turns the form into the engine's `weather.run` scenario and the
 * same cell into a `flood.run` rain, so weather and flood share one clock:
 * flood time t is the scenario's start + t.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import type { Georeference, Params } from '@api';
import { translate } from '../i18n';
import { useSiteStore } from './site';

export type SyntheticScenario = NonNullable<Params<'weather.run'>['scenario']>;
export type RainCellSpec = NonNullable<SyntheticScenario['rain_cell']>;
export type PathEnd = 'start' | 'end';

/** Most frames a scenario may ask for. */
const MAX_FRAMES = 200;

/** A point of the cell's path: the DEM cell picked and its centre in the site's CRS. */
export interface PathPoint {
  col: number;
  row: number;
  x: number;
  y: number;
}

export const useWeatherScenarioStore = defineStore('weatherScenario', () => {
  const site = useSiteStore();

  /** UTC start, as the datetime-local input holds it (YYYY-MM-DDTHH:mm). */
  const start = ref('2026-06-15T12:00');
  const hours = ref(3);
  const intervalMinutes = ref(10);
  const base = reactive({ temperatureC: 22, pressureHpa: 1012, humidityPct: 65, windSpeed: 5, windFrom: 200 });
  const front = reactive({
    on: true,
    towards: 120,
    speed: 12,
    crossingHours: 1.5,
    widthKm: 6,
    temperatureChange: -8,
    windSpeedAfter: 11,
    windFromAfter: 300,
    troughHpa: 3,
    bandHumidityPct: 98,
    bandWidthKm: 8,
  });
  const cell = reactive({ on: true, startHours: 0.25, radiusKm: 2.5, peakMmH: 60, speed: 8 });
  const path = reactive<{ start: PathPoint | null; end: PathPoint | null }>({ start: null, end: null });
  /** The weather panel shows the editor (its path is drawn on the terrain only then). */
  const open = ref(false);
  /** Which end of the path the next click on the terrain sets (none: clicks drop probes). */
  const picking = ref<PathEnd | null>(null);

  const georef = computed<Georeference | null>(() => site.current?.georef ?? null);
  const startMs = computed(() => Date.parse(`${start.value}:00Z`));
  /** Path length (m) on the grid's local metric frame, as the engine measures it. */
  const pathMetres = computed(() => {
    const g = georef.value;
    if (!g || !path.start || !path.end) return 0;
    return Math.hypot((path.end.x - path.start.x) * (g.dxMetres / g.dx), (path.end.y - path.start.y) * (g.dyMetres / g.dy));
  });
  /** When the cell enters and leaves the path (s from the start). */
  const cellTimes = computed(() => {
    const t0 = cell.startHours * 3600;
    return { from: t0, to: t0 + (cell.speed > 0 ? pathMetres.value / cell.speed : 0) };
  });
  /** Why the form cannot run, for the panel; null when it can. */
  const problem = computed(() => {
    if (!Number.isFinite(startMs.value)) return translate('weatherEditor.problem.start');
    if (!(hours.value > 0) || !(intervalMinutes.value > 0)) return translate('weatherEditor.problem.positive');
    if ((hours.value * 60) / intervalMinutes.value > MAX_FRAMES) return translate('weatherEditor.problem.frames', { max: MAX_FRAMES });
    if (front.on && !(front.speed > 0)) return translate('weatherEditor.problem.front');
    if (cell.on) {
      if (!path.start || !path.end) return translate('weatherEditor.problem.path');
      if (!(pathMetres.value > 0)) return translate('weatherEditor.problem.samePoint');
      if (!(cell.speed > 0) || !(cell.radiusKm > 0) || !(cell.peakMmH > 0)) return translate('weatherEditor.problem.cell');
      if (cellTimes.value.from >= hours.value * 3600) return translate('weatherEditor.problem.late');
    }
    return null;
  });

  /** The cell as the engine takes it, with track times in seconds from the start. */
  const rainCell = computed<RainCellSpec | null>(() => {
    if (!cell.on || !path.start || !path.end || !(pathMetres.value > 0)) return null;
    const { from, to } = cellTimes.value;
    return {
      track: [
        { t_s: from, x: path.start.x, y: path.start.y },
        { t_s: to, x: path.end.x, y: path.end.y },
      ],
      radius_m: cell.radiusKm * 1000,
      peak_mm_h: cell.peakMmH,
    };
  });

  const scenario = computed<SyntheticScenario | null>(() => {
    if (problem.value) return null;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
    const s: SyntheticScenario = {
      name: 'Weather scenario',
      start: iso(startMs.value),
      end: iso(startMs.value + hours.value * 3600_000),
      interval_s: intervalMinutes.value * 60,
      base: {
        temperature_c: base.temperatureC,
        pressure_pa: base.pressureHpa * 100,
        relative_humidity: base.humidityPct / 100,
        wind_speed_m_s: base.windSpeed,
        wind_from_deg: base.windFrom,
      },
    };
    if (front.on) {
      s.front = {
        towards_deg: front.towards,
        speed_m_s: front.speed,
        crossing_time: iso(startMs.value + front.crossingHours * 3600_000),
        width_m: front.widthKm * 1000,
        temperature_change_k: front.temperatureChange,
        wind_after: { speed_m_s: front.windSpeedAfter, from_deg: front.windFromAfter },
        pressure_trough_pa: front.troughHpa * 100,
        humidity_band: { relative_humidity: front.bandHumidityPct / 100, width_m: front.bandWidthKm * 1000 },
      };
    }
    if (rainCell.value) s.rain_cell = rainCell.value;
    return s;
  });

  /** A click on the terrain while picking: sets that end of the path, then the other one if it is still unset. */
  function pick(col: number, row: number): void {
    const g = georef.value;
    const end = picking.value;
    if (!g || !end) return;
    path[end] = { col, row, x: g.x0 + (col + 0.5) * g.dx, y: g.y0 - (row + 0.5) * g.dy };
    picking.value = end === 'start' && !path.end ? 'end' : null;
  }

  /** A path across the site through its centre, west to east, while none is picked. */
  function defaultPath(): void {
    const g = georef.value;
    if (!g) return;
    const row = Math.floor(g.ny / 2);
    const at = (col: number): PathPoint => ({ col, row, x: g.x0 + (col + 0.5) * g.dx, y: g.y0 - (row + 0.5) * g.dy });
    path.start = at(Math.floor(g.nx * 0.15));
    path.end = at(Math.floor(g.nx * 0.85));
  }

  // A path belongs to one terrain.
  watch(
    () => site.key,
    () => {
      picking.value = null;
      path.start = null;
      path.end = null;
      defaultPath();
    },
    { immediate: true },
  );

  watch(open, (on) => on || (picking.value = null));

  return { open, start, hours, intervalMinutes, base, front, cell, path, picking, startMs, pathMetres, cellTimes, problem, rainCell, scenario, pick, defaultPath };
});
