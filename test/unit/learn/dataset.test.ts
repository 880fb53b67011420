import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { parseNpy } from '../../../src/io/npy';
import { buildDataset, type DatasetProgress } from '../../../src/learn/dataset/build';
import { rainFamilySchema, sampleScenarios } from '../../../src/learn/dataset/family';
import { loadDataset } from '../../../src/learn/dataset/load';
import { encodeNpyFloat32 } from '../../../src/io/npy-write';
import { tempDir, valleyDem, writeSyntheticDataset } from './fixtures';

const family = (extra: object = {}) =>
  rainFamilySchema.parse({ scenarios: 6, seed: 5, intensity_mm_h: [20, 80], duration_min: [0.5, 1], tail_min: 0.25, solver: { threads: 1 }, ...extra });

describe('scenario family', () => {
  it('samples a Latin hypercube: one member per stratum of each parameter, the same for the same seed', () => {
    const f = rainFamilySchema.parse({ scenarios: 10, seed: 3, intensity_mm_h: [10, 60], duration_min: [15, 45] });
    const a = sampleScenarios(f);
    expect(sampleScenarios(f)).toEqual(a);
    expect(sampleScenarios({ ...f, seed: 4 })).not.toEqual(a);
    const strata = (v: number[], lo: number, hi: number) => v.map((x) => Math.min(9, Math.floor(((x - lo) / (hi - lo)) * 10))).sort((p, q) => p - q);
    expect(strata(a.map((s) => s.intensity_mm_h), 10, 60)).toEqual([...Array(10).keys()]);
    expect(strata(a.map((s) => s.duration_min), 15, 45)).toEqual([...Array(10).keys()]);
    for (const s of a) expect(s.simulated_min).toBeCloseTo(s.duration_min + 15, 6);
  });

  it('holds out only members inside the trained range', () => {
    const members = sampleScenarios(rainFamilySchema.parse({ scenarios: 12, seed: 9, intensity_mm_h: [10, 60], duration_min: [15, 45] }));
    const train = members.filter((s) => s.split === 'train');
    expect(members.filter((s) => s.split === 'validation')).toHaveLength(2);
    expect(members.filter((s) => s.split === 'test')).toHaveLength(2);
    for (const s of members.filter((m) => m.split !== 'train')) {
      expect(s.intensity_mm_h).toBeGreaterThan(Math.min(...train.map((t) => t.intensity_mm_h)));
      expect(s.intensity_mm_h).toBeLessThan(Math.max(...train.map((t) => t.intensity_mm_h)));
      expect(s.duration_min).toBeGreaterThan(Math.min(...train.map((t) => t.duration_min)));
      expect(s.duration_min).toBeLessThan(Math.max(...train.map((t) => t.duration_min)));
    }
  });

  it('rejects a bad family naming the field', () => {
    const r = rainFamilySchema.safeParse({ scenarios: 6, intensity_mm_h: [60, 10], duration_min: [15, 45] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['intensity_mm_h']);
  });
});

describe('.npy shards', () => {
  it('round-trip through the io reader with a 64-byte aligned header', () => {
    const data = Float32Array.from([1.5, -2, 3.25, 0, 7, 8]);
    const bytes = encodeNpyFloat32(data, [2, 3]);
    const dataStart = bytes.length - data.byteLength;
    expect(dataStart % 64).toBe(0);
    const back = parseNpy(bytes, 'x.npy', 100);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(() => encodeNpyFloat32(data, [4, 2])).toThrow(/holds 8 values, data has 6/);
  });
});

describe('building a dataset with the flood solver', () => {
  it('simulates each scenario, writes shards, stats and manifest, and reuses shards on a rebuild', async () => {
    const dir = await tempDir();
    const events: DatasetProgress[] = [];
    const manifest = await buildDataset({ dem: valleyDem(10, 8), demSource: 'valley', family: family(), outDir: dir, terraVersion: 't', onProgress: (p) => events.push(p) });
    expect(manifest.scenarios.map((s) => s.split).sort()).toEqual(['test', 'train', 'train', 'train', 'train', 'validation']);
    expect(events.filter((e) => e.fvWallS !== undefined)).toHaveLength(6);
    const ds = await loadDataset(dir);
    expect(ds.static.length).toBe(11 * 80); // 8 terrain channels + 3 response-surface coefficients
    for (const s of ds.scenarios) {
      const depth = ds.targets.get(s.id)!;
      expect(Math.max(...depth)).toBeCloseTo(s.max_depth_m, 6);
      expect(s.max_depth_m).toBeGreaterThan(0);
    }
    // More rain, more water: the wettest member holds the largest total of max depths.
    const total = (id: string) => ds.targets.get(id)!.reduce((a, b) => a + b, 0);
    const byRain = [...ds.scenarios].sort((a, b) => a.intensity_mm_h * a.duration_min - b.intensity_mm_h * b.duration_min);
    expect(total(byRain.at(-1)!.id)).toBeGreaterThan(total(byRain[0]!.id));
    expect(ds.manifest.stats.target.std).toBeGreaterThan(0);

    const again: DatasetProgress[] = [];
    await buildDataset({ dem: valleyDem(10, 8), demSource: 'valley', family: family(), outDir: dir, terraVersion: 't', onProgress: (p) => again.push(p) });
    expect(again.every((e) => e.reused)).toBe(true);
    await rm(dir, { recursive: true });
  });

  it('stops on cancel keeping finished shards and no manifest; the rerun resumes', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const run = buildDataset({
      dem: valleyDem(10, 8),
      demSource: 'valley',
      family: family(),
      outDir: dir,
      terraVersion: 't',
      signal: controller.signal,
      onProgress: (p) => p.fvWallS !== undefined && p.index === 1 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(stat(join(dir, 'manifest.json'))).rejects.toThrow();
    await stat(join(dir, 'targets/s0001.npy'));
    const events: DatasetProgress[] = [];
    await buildDataset({ dem: valleyDem(10, 8), demSource: 'valley', family: family(), outDir: dir, terraVersion: 't', onProgress: (p) => events.push(p) });
    expect(events.filter((e) => e.reused).map((e) => e.scenario)).toEqual(['s0000', 's0001']);
    await rm(dir, { recursive: true });
  });
});

describe('loading a dataset: clear errors naming the file and field', () => {
  const broken = async (edit: (dir: string, manifest: Record<string, unknown>) => Promise<void> | void) => {
    const dir = await tempDir();
    const manifest = (await writeSyntheticDataset(dir, 8, 8)) as unknown as Record<string, unknown>;
    await edit(dir, manifest);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const err = await loadDataset(dir).catch((e: unknown) => e);
    await rm(dir, { recursive: true });
    expect(err).toBeInstanceOf(TerraError);
    return err as TerraError;
  };

  it('loads the good one', async () => {
    const dir = await tempDir();
    await writeSyntheticDataset(dir, 8, 8);
    const ds = await loadDataset(dir, ['test']);
    expect(ds.scenarios.map((s) => s.id)).toEqual(['s4']);
    await rm(dir, { recursive: true });
  });

  it('without normalisation statistics', async () => {
    const err = await broken((_, m) => void delete m.stats);
    expect(err.message).toMatch(/manifest\.json: stats: no normalisation statistics/);
    expect(err.details).toMatchObject({ field: 'stats' });
  });

  it('from another format version', async () => {
    const err = await broken((_, m) => void (m.version = 99));
    expect(err.message).toMatch(/manifest\.json: version: dataset format version 99; this Terra Twin reads version 1/);
  });

  it('with a shard of the wrong shape', async () => {
    const err = await broken((dir) => writeFile(join(dir, 's3.npy'), encodeNpyFloat32(new Float32Array(8 * 9), [9, 8])));
    expect(err.message).toMatch(/s3\.npy: shape \(9, 8\) does not match the manifest's \(8, 8\)/);
    expect(err.details).toMatchObject({ field: 'shape' });
  });

  it('with NaN in a shard or in the terrain', async () => {
    const nanTarget = new Float32Array(64);
    nanTarget[8 * 3 + 5] = NaN;
    const err = await broken((dir) => writeFile(join(dir, 's0.npy'), encodeNpyFloat32(nanTarget, [8, 8])));
    expect(err.message).toMatch(/s0\.npy: NaN in the max depth of scenario s0 at row 3, column 5/);
    const err2 = await broken(async (dir) => {
      const bytes = await readFile(join(dir, 'static.npy'));
      const values = Float32Array.from(parseNpy(bytes, 't', 1e6).data);
      values[64 * 2 + 10] = Infinity;
      await writeFile(join(dir, 'static.npy'), encodeNpyFloat32(values, [11, 8, 8]));
    });
    expect(err2.message).toMatch(/static\.npy: Infinity in the static channels .* at channel 2, row 1, column 2/);
  });

  it('with forcing that does not fit the channels', async () => {
    const err = await broken((_, m) => void ((m.scenarios as { forcing: number[] }[])[1]!.forcing = [1]));
    expect(err.message).toMatch(/scenarios\.1\.forcing: 1 values for 3 forcing channels/);
  });
});
