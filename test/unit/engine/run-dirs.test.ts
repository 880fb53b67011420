// Run folders: a project's runs are kept; temporary ones are pruned to the newest few.
import { mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunDir, TEMP_RUNS_KEPT } from '../../../src/engine/run-dirs';

describe('run folders', () => {
  it('keeps only the newest temporary runs', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'terra-runs-test-'));
    const made: string[] = [];
    for (let i = 0; i < TEMP_RUNS_KEPT + 3; i++) {
      const dir = await newRunDir(undefined, 'jacksboro', parent);
      // distinct ages, oldest first, without waiting
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      await utimes(dir, t, t);
      made.push(dir);
    }
    const left = (await readdir(parent)).map((name) => join(parent, name)).sort();
    expect(left).toEqual(made.slice(-TEMP_RUNS_KEPT).sort());
  });

  it("never deletes a project's runs", async () => {
    const project = await mkdtemp(join(tmpdir(), 'terra-project-test-'));
    for (let i = 0; i < TEMP_RUNS_KEPT + 2; i++) await newRunDir(project, 'olinda');
    expect((await readdir(join(project, 'runs'))).length).toBe(TEMP_RUNS_KEPT + 2);
  });
});
