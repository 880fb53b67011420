/** The engine's handler table: one line of wiring per API method. */
import { homedir } from 'node:os';
import { arch, platform } from 'node:process';
import { basename, isAbsolute, join } from 'node:path';
import { TerraError } from '../api/errors';
import type { SiteData, WeatherRunResult } from '../api/types';
import { computeInfo } from '../compute/compute-info';
import { rasterStats } from '../core/raster';
import { importJob, inspectJob, type JobHooks } from '../data/jobs';
import { readDem } from '../io/read-dem';
import { loadScenario } from '../scenario/load';
import { runScenario, type RunFrame, type RunOptions } from '../scenario/run';
import { gaugeRecorder, siteScenario } from '../scenario/site-scenario';
import { SiteRegistry } from '../sites/registry';
import { DEFAULT_WEATHER_SAMPLE, WeatherSampleRegistry } from '../sites/weather-samples';
import { runWeather, type WeatherSummary } from '../weather/run';
import { pointRecorder, siteSyntheticWeather, siteWeather } from '../weather/site-weather';
import type { HandlerTable } from './engine';
import type { JobContext } from './job-context';
import { createLearnHandlers } from './learn-handlers';
import { newRunDir } from './run-dirs';

export interface EngineConfig {
  /** Folder holding sites/ and LICENSES.md. */
  assetsDir: string;
  version: string;
  /** Default project folder for imports (default: ~/Terra Twin/Untitled project). */
  defaultProjectDir?: string;
}

const hooks = (ctx: JobContext): JobHooks => ({
  signal: ctx.signal,
  progress: (fraction, message, step) => ctx.progress(fraction, message, undefined, step),
  commit: () => ctx.commit(),
});

/** A run's progress as job progress; each frame goes to `record`, and to the client when `frames`. */
const runProgress = (ctx: JobContext, durationS: number, frames: boolean, record: (f: RunFrame) => void): RunOptions => ({
  signal: ctx.signal,
  onProgress: (p) => ctx.progress(p.fraction, `t=${p.time.toFixed(1)} s, ${p.steps} steps, ${(p.cellUpdatesPerS / 1e6).toFixed(1)} M cell-updates/s`),
  onFrame: (f) => {
    record(f);
    if (frames) ctx.progress(f.time / durationS, `t=${f.time.toFixed(1)} s`, { time: f.time, fields: { depth: f.depth, u: f.u, v: f.v }, stats: { ...f.stats } });
  },
});

/** The fields a weather frame streams: what the run computed, less wind speed (the renderer has u and v). */
const STREAMED_WEATHER = ['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'precipitation'] as const;

/** summary.json of a weather run, as the API reports it. */
function weatherRunSummary(s: WeatherSummary): WeatherRunResult['summary'] {
  const solves = s.wind?.solves ?? [];
  return {
    name: s.name,
    status: s.status,
    nx: s.nx,
    ny: s.ny,
    cells: s.cells,
    frames_planned: s.frames_planned,
    frames_written: s.frames_written,
    first_time: s.first_time,
    variables: s.variables,
    wall_time_s: s.wall_time_s,
    wind: s.wind && solves.length
      ? {
          lid_top_m: s.wind.lid_top_m,
          lid_depth_m: s.wind.lid_depth_m,
          max_iterations: Math.max(...solves.map((w) => w.iterations)),
          max_divergence_m_s: Math.max(...solves.map((w) => w.max_divergence_m_s)),
          converged: solves.every((w) => w.converged),
        }
      : null,
    inputs: s.inputs,
    warnings: s.warnings,
    outputs: s.outputs,
  };
}

export function createHandlers(config: EngineConfig): HandlerTable {
  const sites = new SiteRegistry(join(config.assetsDir, 'sites'));
  const weather = new WeatherSampleRegistry(join(config.assetsDir, 'weather'));
  const compute = computeInfo();
  return {
    ...createLearnHandlers(sites, config.version),
    'engine.info': async () => ({
      version: config.version,
      pid: process.pid,
      node: process.versions.node,
      platform,
      arch,
      compute: await compute,
      defaultProjectDir: config.defaultProjectDir ?? join(homedir(), 'Terra Twin', 'Untitled project'),
    }),
    'site.list': () => sites.list(),
    'site.open': async ({ id }, ctx) => {
      ctx.progress(0, `Reading ${id} terrain`);
      const [site, dem] = await Promise.all([sites.summary(id), sites.readDem(id)]);
      ctx.throwIfCancelled();
      ctx.progress(0.8, 'Checking elevations');
      const stats = rasterStats(dem.data);
      ctx.progress(1, 'Terrain ready');
      const result: SiteData = { site, georef: dem.georef, units: 'm', stats, elevation: dem.data };
      return result;
    },
    'terrain.open': async ({ path, array }, ctx) => {
      ctx.progress(null, `Reading ${basename(path)}`);
      const dem = await readDem(path, array);
      ctx.throwIfCancelled();
      const stats = rasterStats(dem.data);
      if (stats.nodataFraction === 1) {
        throw new TerraError('INVALID_DATA', `${basename(path)}: every cell is nodata`, { file: path, field: 'data' });
      }
      ctx.progress(1, 'Terrain ready');
      const site = {
        id: 'file',
        name: basename(path),
        description: `${dem.georef.nx} x ${dem.georef.ny} cells, ${dem.georef.crs}`,
        source: path,
        licence: 'as supplied by the user',
      };
      const result: SiteData = { site, georef: dem.georef, units: 'm', stats, elevation: dem.data };
      return result;
    },
    'data.inspect': (params, ctx) => inspectJob(params, hooks(ctx)),
    'data.import': (params, ctx) => importJob(params, hooks(ctx), config.version),
    'flood.simulate': async ({ scenario, outDir, frames }, ctx) => {
      for (const [field, path] of [['scenario', scenario], ['outDir', outDir]] as const) {
        if (!isAbsolute(path)) throw new TerraError('INVALID_PARAMS', `${field} must be an absolute path, got "${path}"`, { field });
      }
      ctx.progress(0, `Checking ${basename(scenario)}`);
      const prepared = await loadScenario(scenario);
      ctx.throwIfCancelled();
      return runScenario(prepared, outDir, {
        signal: ctx.signal,
        onProgress: (p) =>
          ctx.progress(p.fraction, `t=${p.time.toFixed(1)} s, ${p.steps} steps, ${(p.cellUpdatesPerS / 1e6).toFixed(1)} M cell-updates/s`),
        onFrame:
          frames === false
            ? undefined
            : (f) => ctx.progress(f.time / prepared.durationS, `t=${f.time.toFixed(1)} s`, { time: f.time, fields: { depth: f.depth, u: f.u, v: f.v } }),
      });
    },
    'flood.run': async ({ site, projectDir, frames, ...rain }, ctx) => {
      ctx.progress(0, `Reading ${site} terrain`);
      const [summary, dem] = await Promise.all([sites.summary(site), sites.readDem(site)]);
      ctx.throwIfCancelled();
      const prepared = siteScenario(summary, dem, rain, { fields: projectDir !== undefined });
      const runDir = await newRunDir(projectDir, site);
      const gauges = gaugeRecorder(prepared);
      const result = await runScenario(prepared, runDir, runProgress(ctx, prepared.durationS, frames !== false, gauges.record));
      return { summary: result, runDir, gauges: gauges.series };
    },
    'weather.list': () => weather.list(),
    'weather.run': async ({ site, sample, scenario, projectDir, frames, ...times }, ctx) => {
      ctx.progress(0, `Reading ${site} terrain`);
      // A synthetic scenario needs no sample; a sample is looked up alongside the terrain.
      const [summary, dem, storm] = await Promise.all([sites.summary(site), sites.readDem(site), scenario ? null : weather.get(sample ?? DEFAULT_WEATHER_SAMPLE)]);
      ctx.throwIfCancelled();
      const options = { fields: projectDir !== undefined };
      if (storm) ctx.progress(0, `Regridding ${storm.manifest.name} onto ${summary.name}`);
      const prepared = storm ? await siteWeather(summary, dem, storm, times, options) : await siteSyntheticWeather(summary, dem, scenario!, times, options);
      ctx.throwIfCancelled();
      const runDir = await newRunDir(projectDir, `${site}-weather`);
      const points = pointRecorder(prepared);
      let done = 0;
      const result = await runWeather(prepared, runDir, {
        signal: ctx.signal,
        onProgress: (p) =>
          ctx.progress(p.fraction, `${p.time}: frame ${p.frame + 1} of ${p.frames}${p.windIteration === undefined ? '' : `, wind iteration ${p.windIteration}`}`),
        onFrame: (f) => {
          points.record(f);
          done++;
          if (frames === false) return;
          const fields: Record<string, Float32Array> = {};
          for (const name of STREAMED_WEATHER) if (f.fields[name]) fields[name] = f.fields[name];
          ctx.progress(done / prepared.times.length, `${new Date(f.time).toISOString().slice(0, 16)}Z`, { time: f.time / 1000, fields });
        },
      });
      return { summary: weatherRunSummary(result), runDir, points: points.series };
    },
  };
}
