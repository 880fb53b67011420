/**
 * Target shards: targets/<id>.npy (max depth, float32 [ny, nx]) with a JSON
 * sidecar holding what produced it. A shard whose sidecar key matches the
 * scenario is reused, so a cancelled or crashed build resumes where it
 * stopped and a rebuild with new terrain features costs no simulations.
 * The .npy is written before its sidecar, both atomically: a sidecar never
 * points to a missing or torn shard.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../../core/atomic-write';
import { encodeNpyFloat32 } from '../../io/npy-write';

/** Everything that determines a target; equal keys give equal shards. */
export interface ShardKey {
  dem_sha256: string;
  crop: { row: number; col: number; rows: number; cols: number } | null;
  manning: number;
  scheme: string;
  cfl: number;
  intensity_mm_h: number;
  duration_min: number;
  simulated_min: number;
}

export interface ShardInfo {
  key: ShardKey;
  file: string;
  fv_wall_s: number;
  steps: number;
  mass_error_rel: number;
  max_depth_m: number;
}

export function targetFile(id: string): string {
  return `targets/${id}.npy`;
}

/** The sidecar of a finished shard with this key, or null (missing, unreadable, other key). */
export async function findShard(dir: string, id: string, key: ShardKey): Promise<ShardInfo | null> {
  try {
    const info = JSON.parse(await readFile(join(dir, `targets/${id}.json`), 'utf8')) as ShardInfo;
    return isDeepStrictEqual(info.key, key) ? info : null;
  } catch {
    return null;
  }
}

export async function writeShard(
  dir: string,
  id: string,
  shape: [number, number],
  maxDepth: Float32Array,
  run: Omit<ShardInfo, 'file' | 'max_depth_m'>,
): Promise<ShardInfo> {
  const file = targetFile(id);
  await writeFileAtomic(join(dir, file), encodeNpyFloat32(maxDepth, shape));
  let max = 0;
  for (const d of maxDepth) if (d > max) max = d;
  const info: ShardInfo = { ...run, file, max_depth_m: max };
  await writeFileAtomic(join(dir, `targets/${id}.json`), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}
