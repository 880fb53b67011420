/** Reading input files with typed errors: missing, unreadable, a folder, or over the size limit (checked before reading). */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { MAX_FILE_BYTES } from './limits';

function fsError(path: string, err: unknown): TerraError {
  const file = basename(path);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new TerraError('NOT_FOUND', `${file}: no such file (${path})`, { file: path, field: 'path' });
  if (code === 'EISDIR') return new TerraError('INVALID_DATA', `${file}: is a folder, not a file`, { file: path, field: 'path' });
  if (code === 'EACCES' || code === 'EPERM') return new TerraError('INVALID_DATA', `${file}: permission denied`, { file: path, field: 'path' });
  return new TerraError('INVALID_DATA', `${file}: cannot read (${code ?? (err as Error).message})`, { file: path, field: 'path' });
}

/** The whole file as bytes, refused before reading when larger than `maxBytes`. */
export async function readInputBytes(path: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = s.size;
  } catch (err) {
    throw fsError(path, err);
  }
  if (size > maxBytes) {
    throw new TerraError('INVALID_DATA', `${basename(path)}: ${size} bytes is over the limit of ${maxBytes} bytes for this format`, {
      file: path,
      field: 'size',
      problem: 'too large',
    });
  }
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    throw fsError(path, err);
  }
}

/** The whole file as text (UTF-8, BOM removed), with the same checks. */
export async function readInputText(path: string, maxBytes: number): Promise<string> {
  const bytes = await readInputBytes(path, maxBytes);
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}
