/**
 * Probes dropped on the terrain: each names a DEM cell and shows depth,
 * stage and velocity there over a flood run's frames, and temperature,
 * pressure and wind over the weather's. Probes belong to one terrain
 * (another site clears them; a reopen keeps them); a run or a weather load
 * started with probes also records them in its gauges.csv / points.csv.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { download } from '../download';
import { probesCsv } from '../probes/csv';
import { sampleProbe, sampleWeather, type ProbeSeries, type WeatherProbeSeries } from '../probes/series';
import { useRunStore, type RunGauge } from './run';
import { useSiteStore } from './site';
import { useWeatherStore } from './weather';

export interface Probe {
  id: number;
  name: string;
  col: number;
  row: number;
  /** Map coordinates of the cell centre, in the site's CRS. */
  x: number;
  y: number;
  color: string;
}

/** Distinct from the water's blues and the terrain's greens and browns. */
const COLORS = ['#ff8a3d', '#f25c9b', '#ffd23f', '#b48cff', '#4fe0b6', '#ff5252', '#a3e635', '#f5f5f5'];
export const MAX_PROBES = COLORS.length;

export const useProbesStore = defineStore('probes', () => {
  const site = useSiteStore();
  const run = useRunStore();
  const weather = useWeatherStore();

  const list = ref<Probe[]>([]);
  let nextId = 1;
  let probesKey: string | null = null;

  const full = computed(() => list.value.length >= MAX_PROBES);
  const gauges = computed<RunGauge[]>(() => list.value.map(({ name, x, y }) => ({ name, x, y })));
  /** Each probe's series over the frames received so far, by probe id. */
  const series = computed(() => {
    const data = site.current;
    const result = new Map<number, ProbeSeries>();
    if (!data) return result;
    for (const p of list.value) {
      const cell = p.row * data.georef.nx + p.col;
      result.set(p.id, sampleProbe(run.frames, cell, data.elevation[cell]!));
    }
    return result;
  });

  /** Each probe's weather series over the weather frames received so far, by probe id. */
  const weatherSeries = computed(() => {
    const data = site.current;
    const result = new Map<number, WeatherProbeSeries>();
    if (!data) return result;
    for (const p of list.value) result.set(p.id, sampleWeather(weather.frames, p.row * data.georef.nx + p.col));
    return result;
  });

  /** Drops a probe on a DEM cell; a second one on the same cell, or one too many, is ignored. */
  function add(col: number, row: number): void {
    const data = site.current;
    if (!data || full.value || list.value.some((p) => p.col === col && p.row === row)) return;
    const { x0, y0, dx, dy } = data.georef;
    const used = new Set(list.value.map((p) => p.color));
    const id = nextId++;
    probesKey = site.key;
    list.value = [
      ...list.value,
      { id, name: `P${id}`, col, row, x: x0 + (col + 0.5) * dx, y: y0 - (row + 0.5) * dy, color: COLORS.find((c) => !used.has(c))! },
    ];
  }

  function remove(id: number): void {
    list.value = list.value.filter((p) => p.id !== id);
  }

  function clear(): void {
    list.value = [];
    nextId = 1;
  }

  function exportCsv(): void {
    const rows = list.value.map((p) => ({ name: p.name, x: p.x, y: p.y, series: series.value.get(p.id)! }));
    download(`terra-${site.current?.site.id ?? 'site'}-probes.csv`, new Blob([probesCsv(rows)], { type: 'text/csv' }));
  }

  watch(
    () => site.key,
    (key) => {
      if (probesKey !== null && key !== probesKey) clear();
    },
  );

  return { list, full, gauges, series, weatherSeries, add, remove, clear, exportCsv };
});
