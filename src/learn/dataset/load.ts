/**
 * Loads a dataset for training or evaluation, checking everything against
 * the manifest before use: shard shapes, finite values, the channels the
 * caller expects. Each problem is a TerraError naming the file and field.
 */
import { join } from 'node:path';
import { TerraError } from '../../api/errors';
import { readInputBytes } from '../../io/files';
import { MAX_GRID_CELLS } from '../../io/limits';
import { parseNpy } from '../../io/npy';
import type { Split } from './family';
import { readDatasetManifest, type DatasetManifest, type NormalisationStats, type ScenarioEntry } from './manifest';

export interface Dataset {
  dir: string;
  manifest: DatasetManifest & { stats: NormalisationStats };
  nx: number;
  ny: number;
  /** Static channels, channel-major [channel, row, column]. */
  static: Float32Array;
  /** Max depth (m) per loaded scenario id, row-major. */
  targets: Map<string, Float32Array>;
  /** The loaded scenarios, in manifest order. */
  scenarios: ScenarioEntry[];
}

export async function loadDataset(dir: string, splits: Split[] = ['train', 'validation', 'test']): Promise<Dataset> {
  const manifest = await readDatasetManifest(dir);
  const { nx, ny } = manifest.source.georef;
  const staticFile = join(dir, manifest.files.static);
  const staticData = await readArray(staticFile, [manifest.channels.static.length, ny, nx], `static channels ${manifest.channels.static.join(', ')}`);
  const scenarios = manifest.scenarios.filter((s) => splits.includes(s.split));
  const targets = await readTargets(dir, scenarios, nx, ny);
  return { dir, manifest, nx, ny, static: staticData, targets, scenarios };
}

/** The target shards of `scenarios`, each checked for shape [ny, nx] and finite, non-negative depths. */
export async function readTargets(dir: string, scenarios: Pick<ScenarioEntry, 'id' | 'target'>[], nx: number, ny: number): Promise<Map<string, Float32Array>> {
  const targets = new Map<string, Float32Array>();
  for (const s of scenarios) {
    const file = join(dir, s.target);
    const data = await readArray(file, [ny, nx], `max depth of scenario ${s.id}`);
    const negative = data.findIndex((d) => d < 0);
    if (negative >= 0) throw badValue(file, negative, nx, `negative depth ${data[negative]}`);
    targets.set(s.id, data);
  }
  return targets;
}

/** A float .npy of exactly `shape`, every value finite. */
export async function readArray(file: string, shape: number[], what: string): Promise<Float32Array> {
  const bytes = await readInputBytes(file);
  const array = parseNpy(bytes, file, MAX_GRID_CELLS * 64);
  if (array.shape.length !== shape.length || array.shape.some((n, i) => n !== shape[i])) {
    throw new TerraError('INVALID_DATA', `${file}: shape (${array.shape.join(', ')}) does not match the manifest's (${shape.join(', ')}) for the ${what}`, {
      file,
      field: 'shape',
      expected: shape,
      actual: array.shape,
    });
  }
  const data = Float32Array.from(array.data);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw badValue(file, bad, shape[shape.length - 1]!, `${data[bad]} in the ${what}`, shape);
  return data;
}

function badValue(file: string, index: number, nx: number, problem: string, shape?: number[]): TerraError {
  const plane = shape && shape.length === 3 ? shape[1]! * shape[2]! : Infinity;
  const channel = Number.isFinite(plane) ? Math.floor(index / plane) : undefined;
  const inPlane = Number.isFinite(plane) ? index % plane : index;
  const where = `${channel !== undefined ? `channel ${channel}, ` : ''}row ${Math.floor(inPlane / nx)}, column ${inPlane % nx}`;
  return new TerraError('INVALID_DATA', `${file}: ${problem} at ${where}`, { file, field: 'data', index });
}
