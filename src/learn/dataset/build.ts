/**
 * Builds a dataset from a simulation ensemble: samples the family, computes
 * the terrain channels, runs the flood solver per scenario (reusing shards
 * that already match, see shards.ts), then writes the normalisation
 * statistics (training scenarios only) and the manifest. Every file is
 * written atomically and the manifest last, so a cancelled build leaves the
 * finished shards for the next run and never a manifest pointing at
 * missing ones.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TerraError } from '../../api/errors';
import { writeFileAtomic } from '../../core/atomic-write';
import { makeGeoref } from '../../core/georef';
import type { Raster } from '../../core/raster';
import { terrainFeatures, TERRAIN_CHANNELS } from '../terrain/features';
import { FORCING_CHANNELS, forcingVector, sampleScenarios, type RainFamily } from './family';
import { DATASET_FORMAT, DATASET_VERSION, MANIFEST_FILE, type DatasetManifest, type NormalisationStats, type ScenarioEntry } from './manifest';
import { encodeNpyFloat32 } from '../../io/npy-write';
import { findShard, writeShard, type ShardKey } from './shards';
import { simulateMaxDepth } from './simulate';
import { meanStd } from './stats';
import { readTargets } from './load';
import { encodeTarget } from '../target';
import { fitResponse, RESPONSE_CHANNELS, responseBasis } from '../response';

export interface DatasetProgress {
  /** Overall fraction done (simulations dominate). */
  fraction: number;
  /** Scenario index and count, the scenario and whether its shard was reused. */
  index: number;
  count: number;
  scenario: string;
  reused: boolean;
  /** Solver wall time of the finished scenario (s), when it was simulated now. */
  fvWallS?: number;
}

export interface BuildDatasetOptions {
  dem: Raster;
  /** Where the DEM came from, for provenance ("site:jacksboro" or a path). */
  demSource: string;
  family: RainFamily;
  outDir: string;
  terraVersion: string;
  signal?: AbortSignal;
  onProgress?: (p: DatasetProgress) => void;
}

export async function buildDataset(options: BuildDatasetOptions): Promise<DatasetManifest> {
  const { family, outDir } = options;
  const dem = family.crop ? cropRaster(options.dem, family.crop) : options.dem;
  const { nx, ny, dxMetres: dx, dyMetres: dy } = dem.georef;
  const holes = dem.data.findIndex((v) => !Number.isFinite(v));
  if (holes >= 0) {
    throw new TerraError('INVALID_DATA', `${options.demSource}: nodata at row ${Math.floor(holes / nx)}, column ${holes % nx}; fill the DEM first`, {
      field: 'dem',
    });
  }
  const scenarios = sampleScenarios(family);
  const terrain = terrainFeatures({ nx, ny, dx, dy, z: dem.data });

  const demSha = createHash('sha256').update(new Uint8Array(options.dem.data.buffer, options.dem.data.byteOffset, options.dem.data.byteLength)).digest('hex');
  const bed = Float64Array.from(dem.data);
  const solver = { ...family.solver, manning: family.manning, threads: family.solver.threads ?? Math.min(2, availableParallelism()) };
  const entries: ScenarioEntry[] = [];
  for (const [index, s] of scenarios.entries()) {
    const key: ShardKey = {
      dem_sha256: demSha,
      crop: family.crop ?? null,
      manning: family.manning,
      scheme: family.solver.scheme,
      cfl: family.solver.cfl,
      intensity_mm_h: s.intensity_mm_h,
      duration_min: s.duration_min,
      simulated_min: s.simulated_min,
    };
    const report = (f: number, reused: boolean, fvWallS?: number) =>
      options.onProgress?.({ fraction: (index + f) / scenarios.length, index, count: scenarios.length, scenario: s.id, reused, fvWallS });
    let shard = await findShard(outDir, s.id, key);
    if (shard) report(1, true);
    else {
      if (options.signal?.aborted) throw new TerraError('CANCELLED', `dataset build cancelled before scenario ${s.id}; finished scenarios are kept`);
      const run = await simulateMaxDepth({ nx, ny, dx, dy, bed }, s, solver, { signal: options.signal, onProgress: (f) => report(f, false) });
      shard = await writeShard(outDir, s.id, [ny, nx], run.maxDepth, { key, fv_wall_s: run.wallS, steps: run.steps, mass_error_rel: run.massErrorRel });
      report(1, false, run.wallS);
    }
    entries.push({
      ...s,
      forcing: forcingVector(s),
      target: shard.file,
      fv_wall_s: shard.fv_wall_s,
      steps: shard.steps,
      mass_error_rel: shard.mass_error_rel,
      max_depth_m: shard.max_depth_m,
    });
  }

  const train = entries.filter((e) => e.split === 'train');
  const { names, data, stats } = staticChannels(terrain, nx * ny, train, await readTargets(outDir, train, nx, ny));
  await writeFileAtomic(join(outDir, 'static.npy'), encodeNpyFloat32(data, [names.length, ny, nx]));
  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    created: new Date().toISOString(),
    terra_version: options.terraVersion,
    source: { dem: options.demSource, dem_sha256: demSha, georef: dem.georef },
    family,
    channels: { static: names, forcing: [...FORCING_CHANNELS] },
    target: { name: 'max_depth', units: 'm', transform: 'sqrt' },
    files: { static: 'static.npy' },
    scenarios: entries,
    stats,
  };
  await writeFileAtomic(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The static channels (terrain, then the response surface fitted to the
 * training scenarios) and the normalisation statistics: static channels
 * over the grid, forcing over the training scenarios, the target (as the
 * networks see it, target.ts) over the training scenarios' cells.
 */
export function staticChannels(
  terrain: Float32Array,
  cells: number,
  train: Pick<ScenarioEntry, 'id' | 'forcing'>[],
  targets: Map<string, Float32Array>,
): { names: string[]; data: Float32Array; stats: NormalisationStats } {
  const inputs: NormalisationStats['inputs'] = {};
  FORCING_CHANNELS.forEach((name, c) => (inputs[name] = meanStd([train.map((e) => e.forcing[c]!)])));
  const target = meanStd(train.map((e) => targets.get(e.id)!), Math.sqrt);
  const normalised = (f: number[]) => FORCING_CHANNELS.map((name, c) => (f[c]! - inputs[name]!.mean) / inputs[name]!.std);
  const response = fitResponse(
    train.map((e) => encodeTarget(targets.get(e.id)!, target)),
    train.map((e) => responseBasis(normalised(e.forcing), [...FORCING_CHANNELS])),
  );
  const names = [...TERRAIN_CHANNELS, ...RESPONSE_CHANNELS];
  const data = new Float32Array(names.length * cells);
  data.set(terrain);
  data.set(response, terrain.length);
  names.forEach((name, c) => (inputs[name] = meanStd([data.subarray(c * cells, (c + 1) * cells)])));
  return { names, data, stats: { inputs, target } };
}

/** A window of a raster, georeferenced (the crop of a family). */
export function cropRaster(raster: Raster, crop: { row: number; col: number; rows: number; cols: number }): Raster {
  const g = raster.georef;
  if (crop.row + crop.rows > g.ny || crop.col + crop.cols > g.nx) {
    throw new TerraError('INVALID_PARAMS', `crop rows ${crop.row}+${crop.rows}, columns ${crop.col}+${crop.cols} is outside the ${g.nx} x ${g.ny} grid`, {
      field: 'crop',
    });
  }
  const data = new Float32Array(crop.rows * crop.cols);
  for (let r = 0; r < crop.rows; r++) {
    const from = (crop.row + r) * g.nx + crop.col;
    data.set(raster.data.subarray(from, from + crop.cols), r * crop.cols);
  }
  const georef = makeGeoref({ nx: crop.cols, ny: crop.rows, x0: g.x0 + crop.col * g.dx, y0: g.y0 - crop.row * g.dy, dx: g.dx, dy: g.dy, crs: g.crs });
  return { data, georef, units: raster.units };
}
