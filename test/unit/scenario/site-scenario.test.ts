// A rain scenario on a site without a scenario file: it prepares what the
// equivalent SCENARIO.json prepares, runs through the same runner, and
// flood.run streams frames, returns gauge series and cancels cleanly.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraError } from '../../../src/api/errors';
import type { FieldFrame } from '../../../src/api/protocol';
import type { SiteSummary } from '../../../src/api/types';
import type { Raster } from '../../../src/core/raster';
import { formatEsriAscii } from '../../../src/io/esri-ascii';
import { loadScenario } from '../../../src/scenario/load';
import { runScenario, type RunFrame } from '../../../src/scenario/run';
import { gaugeRecorder, siteScenario, type SiteRain } from '../../../src/scenario/site-scenario';
import { inProcessClient } from '../engine/in-process-client';

const site: SiteSummary = { id: 'valley', name: 'Test valley', description: '', source: 'test', licence: 'test' };

/** A V-shaped valley sloping south, on a projected grid that does not start at 0. */
function valley(nx = 24, ny = 16): Raster {
  const data = new Float32Array(nx * ny);
  for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) data[r * nx + c] = 0.25 * Math.abs(c - nx / 2) + 0.5 * (ny - r) - 2;
  return { data, units: 'm', georef: { nx, ny, x0: 500_000, y0: 4_200_160, dx: 10, dy: 10, crs: 'unknown', dxMetres: 10, dyMetres: 10 } };
}

const rain: SiteRain = {
  rain: { intensity_mm_per_h: 120, duration_s: 300 },
  duration_s: 600,
  output_interval_s: 150,
  manning: 0.04,
  scheme: 'fv',
  initial_water_level_m: 1,
  gauges: [
    { name: 'outlet', x: 500_121, y: 4_200_005 },
    { name: 'slope', x: 500_015, y: 4_200_150 },
  ],
};

/** The same scenario as files, for loadScenario. */
function scenarioFile(dem: Raster): string {
  const dir = mkdtempSync(join(tmpdir(), 'terra-site-'));
  writeFileSync(join(dir, 'bed.asc'), formatEsriAscii(dem));
  // A step: 120 mm/h until 300 s, none from 300.001 s.
  writeFileSync(join(dir, 'rain.csv'), 'time_s,intensity_mm_per_h\n0,120\n300,120\n300.001,0\n600,0\n');
  const open = { type: 'open' };
  const file = join(dir, 'scenario.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'equivalent',
      terrain: { dem: 'bed.asc' },
      friction: { manning: 0.04 },
      initial: { water_level: 1 },
      boundaries: { west: open, east: open, north: open, south: open },
      rain: { series: 'rain.csv' },
      duration_s: 600,
      output: { interval_s: 150, gauges: rain.gauges, fields: false },
      solver: { scheme: 'fv' },
    }),
  );
  return file;
}

describe('siteScenario', () => {
  it('prepares what loadScenario prepares from the equivalent scenario file', async () => {
    const dem = valley();
    const mine = siteScenario(site, dem, rain, { fields: false });
    const theirs = await loadScenario(scenarioFile(dem));

    expect(mine.georef).toEqual(theirs.georef);
    expect(mine.gauges).toEqual(theirs.gauges);
    expect(mine.gauges.map((g) => g.cell)).toEqual([15 * 24 + 12, 1 * 24 + 1]);
    expect([mine.durationS, mine.intervalS]).toEqual([theirs.durationS, theirs.intervalS]);
    expect(mine.scenario.output).toEqual(theirs.scenario.output);
    expect(mine.scenario.solver).toEqual(theirs.scenario.solver);
    expect(mine.scenario.friction).toEqual(theirs.scenario.friction);
    expect(mine.scenario.initial).toEqual(theirs.scenario.initial);

    const { rain: myRain, boundaries: myB, forcingBreaks: myBreaks, ...mySetup } = mine.setup;
    const { rain: theirRain, boundaries: theirB, forcingBreaks: theirBreaks, ...theirSetup } = theirs.setup;
    expect(mySetup).toEqual(theirSetup);
    // Steps end where the rain stops: at 300 s, and at the file's knots (its 1 ms ramp down).
    expect(myBreaks).toEqual([300]);
    expect(theirBreaks).toEqual([300, 300.001]);
    expect(mySetup.h0.some((h) => h > 0)).toBe(true); // the water level fills the low south end
    expect(Object.values(myB).map((b) => b.type)).toEqual(Object.values(theirB).map((b) => b.type));
    const out = new Float64Array(dem.data.length);
    for (const t of [0, 10, 150, 299.9, 300.5, 450, 600]) expect(myRain!(t, out)).toBeCloseTo(theirRain!(t, out) as number, 15);
    expect(myRain!(0, out)).toBeCloseTo(120 / 3.6e6, 15);
    expect(myRain!(300, out)).toBe(0);
  });

  it('runs; the gauges record every frame at their cells, with stage = bed + depth', async () => {
    const dem = valley();
    const prepared = siteScenario(site, dem, { ...rain, initial_water_level_m: undefined }, { fields: false });
    const out = mkdtempSync(join(tmpdir(), 'terra-site-run-'));
    const gauges = gaugeRecorder(prepared);
    const frames: RunFrame[] = [];
    const summary = await runScenario(prepared, out, { onFrame: (f) => (frames.push(f), gauges.record(f)) });
    expect(summary.status).toBe('completed');
    expect(summary.mass_error_rel).toBeLessThan(1e-9);
    const rainVolume = (120 / 3.6e6) * 300 * 24 * 16 * 100;
    // Rain, plus a little that flows back in through the open sides.
    expect(summary.volume_in_m3).toBeGreaterThanOrEqual(rainVolume - 1e-9);
    expect(summary.volume_in_m3).toBeLessThan(rainVolume * 1.001);
    expect(summary.volume_out_m3).toBeGreaterThan(0); // runoff leaves through the open south side
    expect(existsSync(join(out, 'fields.zarr'))).toBe(false);
    const rows = readFileSync(join(out, 'gauges.csv'), 'utf8').trim().split('\n');
    expect(rows.length).toBe(1 + 5 * 2);

    expect(gauges.series.map((s) => [s.name, s.col, s.row])).toEqual([
      ['outlet', 12, 15],
      ['slope', 1, 1],
    ]);
    for (const s of gauges.series) {
      const cell = s.row * 24 + s.col;
      expect(s.time_s).toEqual([0, 150, 300, 450, 600]);
      expect(s.depth_m).toEqual(frames.map((f) => f.depth[cell]));
      expect(s.u_m_s).toEqual(frames.map((f) => f.u[cell]));
      expect(s.v_m_s).toEqual(frames.map((f) => f.v[cell]));
      expect(s.stage_m).toEqual(s.depth_m.map((d) => dem.data[cell]! + d));
    }
    const [outlet, slope] = gauges.series;
    expect(Math.max(...outlet!.depth_m)).toBeGreaterThan(0.02); // the valley floor collects runoff
    expect(Math.max(...outlet!.depth_m)).toBeGreaterThan(2 * Math.max(...slope!.depth_m));
    expect(outlet!.v_m_s.some((v) => v < 0)).toBe(true); // flowing south (v positive north)
  });

  it('names the field of each problem', () => {
    const dem = valley();
    const at = (gauges: SiteRain['gauges']) => () => siteScenario(site, dem, { ...rain, gauges }, { fields: false });
    expect(at([{ name: 'far', x: 0, y: 0 }])).toThrow(/Test valley: gauges.0: point \(0, 0\) is outside the grid/);
    expect(at([rain.gauges![0]!, { ...rain.gauges![1]!, name: 'outlet' }])).toThrow(/gauges.1.name: duplicate gauge name "outlet"/);
    dem.data[3 * 24 + 5] = NaN;
    expect(at([])).toThrow(/nodata cells \(first at row 3, column 5\)/);
  });
});

describe('flood.run job', () => {
  const params = {
    site: 'olinda',
    rain: { intensity_mm_per_h: 150, duration_s: 600 },
    duration_s: 900,
    output_interval_s: 300,
    initial_water_level_m: 0,
    gauges: [{ name: 'centre', x: 288776.25 + 55.5 * 89.99406734945116, y: 9120760.75 - 55.5 * 89.99406734945116 }],
  };

  it('streams frames at every output time and returns the summary, run folder and gauge series', async () => {
    const client = inProcessClient();
    const frames: FieldFrame[] = [];
    const result = await client.call('flood.run', params, { onProgress: (p) => p.frame && frames.push(p.frame) });
    expect(result.summary.status).toBe('completed');
    expect(result.summary.cells).toBe(111 * 111);
    expect(result.summary.mass_error_rel).toBeLessThan(1e-9);
    expect(frames.map((f) => f.time)).toEqual([0, 300, 600, 900]);
    expect(Object.keys(frames[0]!.fields).sort()).toEqual(['depth', 'u', 'v']);
    expect(frames[0]!.fields.depth).toBeInstanceOf(Float32Array);
    expect(frames[0]!.fields.depth!.length).toBe(111 * 111);

    expect(result.runDir.startsWith(join(tmpdir(), 'terra-twin-runs', 'olinda-'))).toBe(true);
    expect(JSON.parse(readFileSync(join(result.runDir, 'summary.json'), 'utf8'))).toEqual(result.summary);
    expect(existsSync(join(result.runDir, 'fields.zarr'))).toBe(false); // a scratch run: the caller has the frames

    // The gauge series are the streamed frames at the gauge's cell.
    const [gauge] = result.gauges;
    expect([gauge!.col, gauge!.row]).toEqual([55, 55]);
    expect(gauge!.time_s).toEqual([0, 300, 600, 900]);
    const cell = 55 * 111 + 55;
    expect(gauge!.depth_m).toEqual(frames.map((f) => f.fields.depth![cell]));
    expect(gauge!.u_m_s).toEqual(frames.map((f) => f.fields.u![cell]));
    expect(gauge!.v_m_s).toEqual(frames.map((f) => f.fields.v![cell]));
    expect(Math.max(...frames[3]!.fields.depth!)).toBeGreaterThan(0.05);
  });

  it('keeps runs of a project in its runs folder, with fields.zarr; frames can be turned off', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'terra-project-'));
    const client = inProcessClient();
    let frames = 0;
    const result = await client.call('flood.run', { ...params, projectDir, frames: false }, { onProgress: (p) => p.frame && frames++ });
    expect(frames).toBe(0);
    expect(result.gauges[0]!.time_s).toEqual([0, 300, 600, 900]); // recorded all the same
    expect(result.runDir.startsWith(join(projectDir, 'runs', 'olinda-'))).toBe(true);
    expect(existsSync(join(result.runDir, 'fields.zarr'))).toBe(true);
  });

  it('cancels: CANCELLED, with the run folder marked cancelled', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'terra-project-'));
    const client = inProcessClient();
    const controller = new AbortController();
    const long = { ...params, projectDir, duration_s: 6e5, output_interval_s: 6e3 };
    const err = await client
      // Abort at the first report from inside the run (every 250 ms of wall time).
      .call('flood.run', long, { signal: controller.signal, onProgress: (p) => (p.fraction ?? 0) > 0 && controller.abort() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).code).toBe('CANCELLED');
    const [run] = readdirSync(join(projectDir, 'runs'));
    const summary = JSON.parse(readFileSync(join(projectDir, 'runs', run!, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('cancelled');
    expect(summary.simulated_time_s).toBeLessThan(6e5);
  });

  it.each([
    [{ output_interval_s: 1000 }, /output_interval_s: longer than the run/],
    [{ duration_s: 9e3, output_interval_s: 10 }, /output_interval_s: more than 200 output times/],
    [{ rain: { intensity_mm_per_h: 5000, duration_s: 60 } }, /rain.intensity_mm_per_h: at most 1000 mm\/h/],
    [{ duration_s: 1e7 }, /duration_s: at most 604800 s/],
    [{ gauges: [{ name: 'a,b', x: 0, y: 0 }] }, /gauges.0.name: 1 to 100 characters, no commas/],
    [{ manning: -1 }, /manning/],
    [{ projectDir: 'runs' }, /projectDir: an absolute path/],
  ])('%# refuses %j with INVALID_PARAMS', async (override, message) => {
    const err = await inProcessClient()
      .call('flood.run', { ...params, ...override })
      .catch((e: unknown) => e);
    expect((err as TerraError).code).toBe('INVALID_PARAMS');
    expect((err as TerraError).message).toMatch(message);
  });

  it('names a gauge outside the site and an unknown site', async () => {
    const client = inProcessClient();
    await expect(client.call('flood.run', { ...params, gauges: [{ name: 'far', x: 0, y: 0 }] })).rejects.toThrow(
      /Olinda coast, Brazil: gauges.0: point \(0, 0\) is outside the grid/,
    );
    await expect(client.call('flood.run', { ...params, site: 'atlantis' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
