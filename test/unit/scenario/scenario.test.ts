// The scenario contract end to end: files in, contract outputs out; bad input
// refused before any computation with the field named.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { loadScenario } from '../../../src/scenario/load';
import { outputSchedule, runScenario } from '../../../src/scenario/run';
import { formatEsriAscii } from '../../../src/io/esri-ascii';
import { readEsriAscii } from '../../../src/io/esri-ascii';
import { GAUGE_HEADER } from '../../../src/scenario/gauge-writer';

const dir = mkdtempSync(join(tmpdir(), 'terra-scenario-'));
const nx = 40;
const ny = 8;
const dx = 0.5;

function writeGrid(name: string, value: (r: number, c: number) => number) {
  const data = new Float32Array(nx * ny);
  for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) data[r * nx + c] = value(r, c);
  writeFileSync(
    join(dir, name),
    formatEsriAscii({ data, units: 'm', georef: { nx, ny, x0: 0, y0: ny * dx, dx, dy: dx, crs: 'unknown', dxMetres: dx, dyMetres: dx } }),
  );
}

function scenario(overrides: Record<string, unknown> = {}, file = 'scenario.json'): string {
  const base = {
    name: 'dam-break-channel',
    terrain: { dem: 'bed.asc' },
    friction: { manning: 0.01 },
    initial: { depth: 'h0.asc' },
    boundaries: { west: { type: 'wall' }, east: { type: 'open' }, north: { type: 'wall' }, south: { type: 'wall' } },
    duration_s: 2,
    output: { interval_s: 0.5, gauges: [{ name: 'mid', x: 10.1, y: 2.1 }, { name: 'down', x: 15.2, y: 2.1 }] },
    solver: { scheme: 'fv', cfl: 0.8, backend: 'cpu', threads: 1 },
    ...overrides,
  };
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(base));
  return path;
}

beforeAll(() => {
  writeGrid('bed.asc', (_r, c) => -0.01 * c);
  writeGrid('h0.asc', (_r, c) => (c < nx / 2 ? 1 : 0.1));
  writeGrid('holes.asc', (r, c) => (r === 3 && c === 5 ? -9999 : 0));
  writeGrid('small.asc', () => 0);
  writeFileSync(join(dir, 'short.csv'), 'time_s,stage_m\n0,1\n1,1\n');
  writeFileSync(join(dir, 'rain.csv'), 'time_s,intensity_mm_per_h\n0,100\n100,100\n');
});

describe('scenario checks before computing', () => {
  it.each([
    [{ duration_s: -1 }, /duration_s: .*positive/],
    [{ solver: { scheme: 'fv', cfl: 1.5 } }, /solver.cfl: CFL must be in \(0, 1\]/],
    [{ solver: { scheme: 'magic' } }, /solver.scheme/],
    [{ terrain: { dem: 'missing.asc' } }, /terrain.dem: .*missing.asc/],
    [{ terrain: { dem: 'holes.asc' }, initial: { water_level: 0 } }, /terrain.dem: 1 nodata cells \(first at row 3, column 5\)/],
    [{ output: { gauges: [{ name: 'far', x: 500, y: 1 }] } }, /output.gauges.0: point \(500, 1\) is outside the grid/],
    [{ boundaries: { west: { type: 'stage', series: 'short.csv' } } }, /boundaries.west.series: short.csv covers 0-1 s but the run needs 0-2 s/],
    [{ inflows: [{ x: -3, y: 1, series: 'q.csv' }] }, /inflows.0: point \(-3, 1\) is outside the grid/],
    [{ friction: { manning: 3 } }, /friction/],
    [{ boundaries: { east: { type: 'moat' } } }, /boundaries.east/],
    [{ unknown_key: 1 }, /unknown_key|Unrecognized/],
  ])('%# refuses %j', async (override, message) => {
    await expect(loadScenario(scenario(override, 'bad.json'))).rejects.toThrow(message);
  });

  it('refuses invalid JSON naming the file', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"name": ');
    await expect(loadScenario(join(dir, 'broken.json'))).rejects.toThrow(/broken.json: not valid JSON/);
  });

  it('schedules output times including the end of the run', () => {
    expect(outputSchedule(2, 0.5)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(outputSchedule(1, 0.3).map((t) => +t.toFixed(9))).toEqual([0, 0.3, 0.6, 0.9, 1]);
  });
});

describe('terra simulate outputs', () => {
  it('writes gauges.csv, max rasters, fields.zarr and a summary whose mass balance closes', async () => {
    const out = join(dir, 'out');
    const prepared = await loadScenario(scenario());
    const summary = await runScenario(prepared, out);
    expect(summary.status).toBe('completed');
    expect(summary.simulated_time_s).toBeCloseTo(2, 9);
    expect(summary.mass_error_rel).toBeLessThan(1e-6);
    expect(summary.volume_out_m3).toBeGreaterThan(0); // water left through the open east side
    expect(summary.kernels).toBe('wasm');
    for (const key of ['cells', 'steps', 'wall_time_s', 'cell_updates_per_s', 'volume_in_m3', 'volume_out_m3', 'volume_final_m3', 'mass_error_rel', 'backend', 'scheme']) {
      expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toHaveProperty(key);
    }

    const lines = readFileSync(join(out, 'gauges.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(GAUGE_HEADER);
    expect(lines.length).toBe(1 + 5 * 2); // 5 output times x 2 gauges
    const first = lines[1]!.split(',');
    expect(first.slice(0, 2)).toEqual(['0', 'mid']);
    // stage = bed + depth at the gauge's cell (column 20: bed -0.2, depth 0.1 at t=0)
    expect(Number(first[2])).toBeCloseTo(0.1, 6);
    expect(Number(first[3])).toBeCloseTo(-0.2 + 0.1, 6);
    // The dam-break front reaches the downstream gauge: its depth rises.
    const down = lines.filter((l) => l.split(',')[1] === 'down').map((l) => Number(l.split(',')[2]));
    expect(Math.max(...down)).toBeGreaterThan(down[0]! + 0.1);

    const maxDepth = await readEsriAscii(join(out, 'max_depth.asc'));
    expect(maxDepth.georef).toMatchObject({ nx, ny, dx });
    expect(Math.max(...maxDepth.data)).toBeCloseTo(summary.max_depth_m, 5);
    for (const f of ['max_depth.tif', 'max_velocity.asc', 'hazard.asc', 'arrival_time.asc']) expect(existsSync(join(out, f))).toBe(true);

    const root = zarr.root(new FileSystemStore(join(out, 'fields.zarr')));
    const depth = await zarr.open(root.resolve('depth'), { kind: 'array' });
    expect(depth.shape).toEqual([5, ny, nx]);
    const last = await zarr.get(depth, [4, null, null]);
    expect((last.data as Float32Array).every((d) => d >= 0)).toBe(true);
  });

  it('runs the same scenario on the GPU backend with matching gauges', async () => {
    const prepared = await loadScenario(scenario({ solver: { scheme: 'fv', cfl: 0.8, backend: 'gpu' } }));
    const summary = await runScenario(prepared, join(dir, 'out-gpu'));
    expect(summary.backend).toBe('gpu');
    expect(summary.mass_error_rel).toBeLessThan(1e-5); // f32 on the device, balance summed in f64
    const gauges = (out: string) =>
      readFileSync(join(dir, out, 'gauges.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    const cpu = gauges('out');
    const gpu = gauges('out-gpu');
    expect(gpu.length).toBe(cpu.length);
    // Same algorithm in f32 with its own dt sequence: depths agree to a few mm on a 1 m dam break.
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThan(5e-3);
    const maxDepth = await readEsriAscii(join(dir, 'out-gpu', 'max_depth.asc'));
    expect(Math.max(...maxDepth.data)).toBeCloseTo(summary.max_depth_m, 5);
  });

  it('stops on cancel with valid partial outputs marked cancelled', async () => {
    const out = join(dir, 'out-cancel');
    const prepared = await loadScenario(scenario({ duration_s: 50, rain: { series: 'rain.csv' }, output: { interval_s: 1 } }));
    prepared.setup.boundaries.east = { type: 'wall' };
    const controller = new AbortController();
    const summary = await runScenario(prepared, out, {
      signal: controller.signal,
      onFrame: (f) => {
        if (f.time >= 2) controller.abort();
      },
    });
    expect(summary.status).toBe('cancelled');
    expect(summary.simulated_time_s).toBeLessThan(50);
    expect(summary.mass_error_rel).toBeLessThan(1e-6);
    const saved = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(saved.status).toBe('cancelled');
    const depth = await zarr.open(zarr.root(new FileSystemStore(join(out, 'fields.zarr'))).resolve('depth'), { kind: 'array' });
    expect(depth.shape[0]).toBe(summary.output_times);
  });
});
