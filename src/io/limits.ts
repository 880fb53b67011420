/** Guards that readers apply before allocating, so a hostile header cannot exhaust memory. */
import { TerraError } from '../api/errors';

/** Largest grid any reader will allocate (cells); 64 M float32 cells = 256 MiB. */
export const MAX_GRID_CELLS = 64 * 1024 * 1024;

export function checkGridSize(file: string, nx: number, ny: number): void {
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 2 || ny < 2) {
    throw new TerraError('INVALID_DATA', `${file}: grid size ${nx} x ${ny} is not a usable raster (need at least 2 x 2)`, {
      file,
      field: 'dimensions',
    });
  }
  if (nx * ny > MAX_GRID_CELLS) {
    throw new TerraError(
      'INVALID_DATA',
      `${file}: grid of ${nx} x ${ny} cells exceeds the limit of ${MAX_GRID_CELLS} cells; clip or resample it first`,
      { file, field: 'dimensions' },
    );
  }
}

/** Largest number of values one field series may hold (all frames): 128 M float32 = 512 MiB. */
export const MAX_FIELD_VALUES = 128 * 1024 * 1024;

/** Largest text file (CSV, ESRI ASCII) a reader loads: 512 MiB. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

/** Largest binary file a reader loads whole: 2 GiB (Node's own limit for one read). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function checkValueCount(file: string, field: string, count: number, limit = MAX_FIELD_VALUES): void {
  if (!Number.isSafeInteger(count) || count > limit) {
    throw new TerraError('INVALID_DATA', `${file}: ${field} would hold ${count} values, over the limit of ${limit}; read fewer frames or clip it first`, {
      file,
      field,
      problem: 'too large',
    });
  }
}
