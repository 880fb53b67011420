/** Reads a DEM by file type: GeoTIFF or .npz (ESRI ASCII and NetCDF arrive with the data issue). */
import { basename, extname, isAbsolute } from 'node:path';
import { TerraError } from '../api/errors';
import type { Raster } from '../core/raster';
import { readGeoTiff } from './geotiff';
import { readNpzDem } from './npz-dem';

export async function readDem(path: string, array = 'elevation'): Promise<Raster> {
  if (!isAbsolute(path)) throw new TerraError('INVALID_PARAMS', `path must be absolute, got "${path}"`, { field: 'path' });
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.tif' || ext === '.tiff') return await readGeoTiff(path);
    if (ext === '.npz') return await readNpzDem(path, array);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TerraError('NOT_FOUND', `${basename(path)}: no such file (${path})`, { file: path });
    if (code === 'EACCES') throw new TerraError('INVALID_DATA', `${basename(path)}: permission denied`, { file: path });
    if (code === 'EISDIR') throw new TerraError('INVALID_DATA', `${basename(path)}: is a folder, not a file`, { file: path });
    throw err;
  }
  throw new TerraError('INVALID_DATA', `${basename(path)}: unsupported terrain format "${ext}" (use .tif, .tiff or .npz)`, {
    file: path,
    field: 'format',
  });
}
