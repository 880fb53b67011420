/** `terra forecast` end to end: train, evaluate the saved folder, and clear errors for bad input. */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { STORM, tempDir, WIND } from './fixtures';

const terra = fileURLToPath(new URL('../../../../bin/terra.js', import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function failing(args: string[]): Promise<string> {
  const err = await run(process.execPath, [terra, ...args]).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(err?.code).toBe(1);
  return err!.stderr.trim().split('\n').at(-1)!;
}

describe('terra forecast', () => {
  it('trains a station model, prints held-out scores, and evaluate reproduces them from the folder', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const out = join(dir, 'wind-mlp');
    const train = await run(process.execPath, [terra, 'forecast', 'stations', WIND, '--units', 'kn', '-o', out, '--epochs', '3', '--seed', '2', '--backend', 'wasm', '-q']);
    expect(train.stdout).toMatch(/^test \(1976-1978, 1093 windows\), 1 day\(s\) ahead; RMSE and MAE in kn/m);
    expect(train.stdout).toMatch(/^pooled +\d/m);
    const evaluate = await run(process.execPath, [terra, 'forecast', 'evaluate', out, '--json', '--backend', 'wasm']);
    const report = JSON.parse(evaluate.stdout);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(report).toMatchObject({ kind: 'stations', split: 'test', samples: 1093, warnings: [] });
    expect(report.pooled.model.rmse).toBeCloseTo(metrics.test.pooled.model.rmse, 6);
    expect(report.pooled.references.persistence.rmse_reduction).toBeGreaterThan(0);

    const again = await failing(['forecast', 'stations', WIND, '-o', out, '--epochs', '1']);
    expect(again).toBe(`terra: INVALID_PARAMS: ${out}: holds a model already (terra-forecast.json); pass --force to replace it, or choose another --out`);
  });

  it('names the file and field of bad input', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const errors = await Promise.all([
      failing(['forecast', 'stations', WIND, '--inputs', 'VAL,GALWAY', '-o', join(dir, 'a')]),
      failing(['forecast', 'stations', WIND, '--horizon', '7000', '-o', join(dir, 'b')]),
      failing(['forecast', 'grid', '--var', `temperature=${STORM('T')}:q`, '--var', `pressure=${STORM('P')}`, '-o', join(dir, 'c')]),
      failing(['forecast', 'grid', '--var', `temperature=${STORM('T')}`, '-o', join(dir, 'd')]),
    ]);
    expect(errors).toEqual([
      'terra: INVALID_DATA: wind_ireland.csv: column "GALWAY": not in the file (numeric columns: RPT, VAL, ROS, KIL, SHA, BIR, DUB, CLA, MUL, CLO, BEL, MAL)',
      'terra: INVALID_PARAMS: data.horizon: Too big: expected number to be <=366',
      'terra: INVALID_DATA: variables.temperature: Tstorm.cdf: no variable "q" (gridded ones: t)',
      'terra: INVALID_PARAMS: targets[1]: "pressure" is not one of the variables (temperature)',
    ]);
  });
});
