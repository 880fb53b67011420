/**
 * Reads a DEM by file type: GeoTIFF, .npz, ESRI ASCII, NetCDF-3 or a JSON
 * grid, in metres (NetCDF elevations in feet are converted; a curvilinear
 * NetCDF grid is regridded onto the UTM zone of its centre).
 */
import { basename, extname, isAbsolute } from 'node:path';
import { TerraError } from '../api/errors';
import { curvilinearMapping, curvilinearTargetGrid } from '../core/curvilinear';
import { convertRasterUnits, type Raster } from '../core/raster';
import { readDataset, type Dataset } from './open';
import { readGeoTiff } from './geotiff';
import { readNpzDem } from './npz-dem';

export async function readDem(path: string, array = 'elevation'): Promise<Raster> {
  if (!isAbsolute(path)) throw new TerraError('INVALID_PARAMS', `path must be absolute, got "${path}"`, { field: 'path' });
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.tif' || ext === '.tiff') return await readGeoTiff(path);
    if (ext === '.npz') return await readNpzDem(path, array);
    if (['.asc', '.nc', '.cdf', '.json'].includes(ext)) return demFromDataset(await readDataset(path, array !== 'elevation' ? { variable: array } : {}));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TerraError('NOT_FOUND', `${basename(path)}: no such file (${path})`, { file: path });
    if (code === 'EACCES') throw new TerraError('INVALID_DATA', `${basename(path)}: permission denied`, { file: path });
    if (code === 'EISDIR') throw new TerraError('INVALID_DATA', `${basename(path)}: is a folder, not a file`, { file: path });
    throw err;
  }
  throw new TerraError('INVALID_DATA', `${basename(path)}: unsupported terrain format "${ext}" (use .tif, .tiff, .npz, .asc, .nc, .cdf or .json)`, {
    file: path,
    field: 'format',
  });
}

/** One elevation grid in metres from a generic data set. */
function demFromDataset(d: Dataset): Raster {
  if (d.kind !== 'grid') throw new TerraError('INVALID_DATA', `${d.file}: not a grid (${d.format})`, { file: d.path, field: 'format' });
  if (d.frames.length > 1) {
    throw new TerraError('INVALID_DATA', `${d.file}: "${d.variable}" has ${d.frames.length} time steps; a DEM has one`, { file: d.path, field: d.variable });
  }
  let raster: Raster;
  if (d.geometry.kind === 'regular') raster = { data: d.frames[0]!, units: d.units, georef: d.geometry.georef };
  else {
    const target = curvilinearTargetGrid(d.geometry.coords);
    raster = { data: curvilinearMapping(d.geometry.coords, target).apply(d.frames[0]!), units: d.units, georef: target };
  }
  if (!d.units) throw new TerraError('INVALID_DATA', `${d.file}: "${d.variable}" has no units; elevations must be in a length unit`, { file: d.path, field: d.variable, problem: 'units' });
  return convertRasterUnits(raster, 'm', d.file);
}
