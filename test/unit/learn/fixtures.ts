/**
 * Small synthetic datasets for the learning tests: a real terrain-channel
 * stack of a tiny valley DEM and targets from a smooth rule (no solver
 * runs), written in the dataset format build.ts writes.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGeoref } from '../../../src/core/georef';
import type { Raster } from '../../../src/core/raster';
import { staticChannels } from '../../../src/learn/dataset/build';
import { FORCING_CHANNELS, forcingVector, rainFamilySchema, type Split } from '../../../src/learn/dataset/family';
import { DATASET_FORMAT, DATASET_VERSION, type DatasetManifest, type ScenarioEntry } from '../../../src/learn/dataset/manifest';
import { encodeNpyFloat32 } from '../../../src/io/npy-write';
import { terrainFeatures } from '../../../src/learn/terrain/features';

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'terra-learn-'));
}

/** A V-shaped valley falling south, metric 20 m cells. */
export function valleyDem(nx: number, ny: number): Raster {
  const data = Float32Array.from({ length: nx * ny }, (_, k) => 20 + 0.4 * (ny - Math.floor(k / nx)) + 0.3 * Math.abs((k % nx) - (nx - 1) / 2));
  return { data, units: 'm', georef: makeGeoref({ nx, ny, x0: 500_000, y0: 4_000_000, dx: 20, dy: 20, crs: 'EPSG:32616' }) };
}

const SPLITS: Split[] = ['train', 'train', 'validation', 'train', 'test', 'train'];

/** Writes a dataset of 6 scenarios whose depth grows with catchment area, intensity and duration. */
export async function writeSyntheticDataset(dir: string, nx = 16, ny = 16): Promise<DatasetManifest> {
  const dem = valleyDem(nx, ny);
  const n = nx * ny;
  const terrain = terrainFeatures({ nx, ny, dx: 20, dy: 20, z: dem.data });
  const logArea = terrain.subarray(2 * n, 3 * n);
  const scenarios: ScenarioEntry[] = [];
  const targets = new Map<string, Float32Array>();
  for (const [i, split] of SPLITS.entries()) {
    const s = { intensity_mm_h: 10 + 10 * i, duration_min: 10 + 3 * i };
    const depth = Float32Array.from(logArea, (a) => 0.01 * Math.exp(0.6 * a) * (s.intensity_mm_h / 30) ** 0.6 * (s.duration_min / 20) ** 0.3);
    const id = `s${i}`;
    await writeFile(join(dir, `${id}.npy`), encodeNpyFloat32(depth, [ny, nx]));
    targets.set(id, depth);
    scenarios.push({ id, split, ...s, simulated_min: s.duration_min + 5, forcing: forcingVector(s), target: `${id}.npy`, fv_wall_s: 1, steps: 10, mass_error_rel: 0, max_depth_m: Math.max(...depth) });
  }
  const train = scenarios.filter((s) => s.split === 'train');
  const statics = staticChannels(terrain, n, train, targets);
  await writeFile(join(dir, 'static.npy'), encodeNpyFloat32(statics.data, [statics.names.length, ny, nx]));
  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    created: new Date().toISOString(),
    terra_version: 'test',
    source: { dem: 'synthetic valley', dem_sha256: '0', georef: dem.georef },
    family: rainFamilySchema.parse({ scenarios: 6, intensity_mm_h: [10, 60], duration_min: [10, 25] }),
    channels: { static: statics.names, forcing: [...FORCING_CHANNELS] },
    target: { name: 'max_depth', units: 'm', transform: 'sqrt' },
    files: { static: 'static.npy' },
    scenarios,
    stats: statics.stats,
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}
