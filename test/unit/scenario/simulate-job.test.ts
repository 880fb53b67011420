// flood.simulate as an engine job: frames stream as typed arrays, cancel stops it cleanly.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FieldFrame } from '../../../src/api/protocol';
import { formatEsriAscii } from '../../../src/io/esri-ascii';
import { TerraError } from '../../../src/api/errors';
import { inProcessClient } from '../engine/in-process-client';


/** An in-process transport: the same Engine boundary, without a process hop. */

function writeScenario(dir: string, duration: number): string {
  const nx = 30;
  const ny = 20;
  const data = new Float32Array(nx * ny).map((_, i) => 0.02 * Math.abs((i % nx) - nx / 2));
  writeFileSync(join(dir, 'bed.asc'), formatEsriAscii({ data, units: 'm', georef: { nx, ny, x0: 0, y0: 200, dx: 10, dy: 10, crs: 'unknown', dxMetres: 10, dyMetres: 10 } }));
  writeFileSync(join(dir, 'rain.csv'), `time_s,intensity_mm_per_h\n0,200\n${duration},200\n`);
  const path = join(dir, 'scenario.json');
  writeFileSync(
    path,
    JSON.stringify({ name: 'valley-rain', terrain: { dem: 'bed.asc' }, rain: { series: 'rain.csv' }, duration_s: duration, output: { interval_s: duration / 4 }, solver: { threads: 1 } }),
  );
  return path;
}

describe('flood.simulate job', () => {
  it('streams depth/u/v frames at each output time and returns the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terra-job-'));
    const client = inProcessClient();
    const frames: FieldFrame[] = [];
    const summary = await client.call(
      'flood.simulate',
      { scenario: writeScenario(dir, 600), outDir: join(dir, 'out') },
      { onProgress: (p) => p.frame && frames.push(p.frame) },
    );
    expect(summary.status).toBe('completed');
    expect(frames.map((f) => f.time)).toEqual([0, 150, 300, 450, 600]);
    const last = frames.at(-1)!;
    expect(last.fields.depth).toBeInstanceOf(Float32Array);
    expect(last.fields.depth!.length).toBe(600);
    // Closed valley under rain: mean depth = rain depth (200 mm/h x 600 s = 33.3 mm).
    const mean = last.fields.depth!.reduce((a, b) => a + b, 0) / 600;
    expect(mean).toBeCloseTo(0.2 / 6, 6);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).mass_error_rel).toBeLessThan(1e-6);
  });

  it('cancels: the call ends with CANCELLED and the outputs are marked cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terra-job-'));
    const client = inProcessClient();
    const controller = new AbortController();
    const err = await client
      .call('flood.simulate', { scenario: writeScenario(dir, 1e5), outDir: join(dir, 'out') }, {
        signal: controller.signal,
        // Abort at the first report from inside the run (every 250 ms of wall time).
        onProgress: (p) => (p.fraction ?? 0) > 0 && controller.abort(),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).code).toBe('CANCELLED');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).status).toBe('cancelled');
  });

  it('refuses relative paths', async () => {
    const client = inProcessClient();
    await expect(client.call('flood.simulate', { scenario: 'a.json', outDir: '/tmp/x' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
