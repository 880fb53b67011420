/** Reads a JSON document (a scenario, a config) with errors that name the file. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TerraError } from '../api/errors';

export async function readJsonFile(file: string, what = 'scenario'): Promise<unknown> {
  const name = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TerraError('NOT_FOUND', `${name}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${name}: not valid JSON (${(err as Error).message})`, { file });
  }
}
