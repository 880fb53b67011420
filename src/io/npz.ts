/** NumPy .npz reader: a zip of .npy members. */
import { basename } from 'node:path';
import { unzipSync } from 'fflate';
import { TerraError } from '../api/errors';
import { readInputBytes } from './files';
import { MAX_GRID_CELLS } from './limits';
import { parseNpy, type NpyArray } from './npy';

export async function readNpz(path: string): Promise<Map<string, NpyArray>> {
  return parseNpz(await readInputBytes(path), basename(path));
}

export function parseNpz(bytes: Uint8Array, file: string): Map<string, NpyArray> {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new TerraError('INVALID_DATA', `${file}: not an .npz archive (bad magic bytes)`, { file, field: 'header' });
  }
  let members: Record<string, Uint8Array>;
  try {
    // Skip members whose declared size is over the limit before inflating them.
    members = unzipSync(bytes, { filter: (f) => f.originalSize <= MAX_GRID_CELLS * 8 + 4096 });
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${file}: corrupt zip archive (${(err as Error).message})`, { file, field: 'archive' });
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, member] of Object.entries(members)) {
    if (!name.endsWith('.npy')) continue;
    const key = name.slice(0, -4);
    arrays.set(key, parseNpy(member, `${file}:${key}`, MAX_GRID_CELLS));
  }
  return arrays;
}
