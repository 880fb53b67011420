/** GeoTIFF reader (first band of the first image) on top of the `geotiff` package. */
import { basename } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { TerraError } from '../api/errors';
import { metricCellSize, type Raster } from '../core/raster';
import { readInputBytes } from './files';
import { checkGridSize } from './limits';

export async function readGeoTiff(path: string): Promise<Raster> {
  return parseGeoTiff(await readInputBytes(path), basename(path));
}

export async function parseGeoTiff(bytes: Uint8Array, file: string): Promise<Raster> {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'II*\0' && magic !== 'MM\0*' && magic !== 'II+\0' && magic !== 'MM\0+') {
    throw new TerraError('INVALID_DATA', `${file}: not a TIFF file (bad magic bytes)`, { file, field: 'header' });
  }
  try {
    const tiff = await fromArrayBuffer(bytes.slice().buffer);
    const image = await tiff.getImage();
    const nx = image.getWidth();
    const ny = image.getHeight();
    checkGridSize(file, nx, ny);
    // Uncompressed pixels must fit in the file: refuse a corrupt size before allocating for it.
    const compression = (image.getFileDirectory() as { getValue?: (tag: string) => unknown }).getValue?.('Compression') ?? 1;
    if (compression === 1 && nx * ny * image.getBytesPerPixel() > bytes.length) {
      throw new TerraError('INVALID_DATA', `${file}: truncated: ${nx} x ${ny} uncompressed pixels need more bytes than the file's ${bytes.length}`, {
        file,
        field: 'image',
      });
    }
    const [originX, originY] = image.getOrigin();
    const [resX, resY] = image.getResolution();
    const geoKeys = (image.getGeoKeys?.() ?? {}) as GeoKeys;
    const geographic = geoKeys.GTModelTypeGeoKey === 2;
    const nodata = image.getGDALNoData();
    const [band] = (await image.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
    const data = new Float32Array(nx * ny);
    for (let i = 0; i < data.length; i++) {
      const v = band![i]!;
      data[i] = v === nodata || !Number.isFinite(v) ? NaN : v;
    }
    const dx = Math.abs(resX!);
    const dy = Math.abs(resY!);
    const centreLat = originY! - (dy * ny) / 2;
    return {
      data,
      units: 'm',
      georef: {
        nx,
        ny,
        x0: originX!,
        y0: originY!,
        dx,
        dy,
        crs: crsName(geoKeys),
        ...metricCellSize(dx, dy, geographic, centreLat),
      },
    };
  } catch (err) {
    if (err instanceof TerraError) throw err;
    throw new TerraError('INVALID_DATA', `${file}: unreadable GeoTIFF (${err instanceof Error ? err.message : String(err)})`, { file, field: 'image' });
  }
}

interface GeoKeys {
  GTModelTypeGeoKey?: number;
  ProjectedCSTypeGeoKey?: number;
  GeographicTypeGeoKey?: number;
  ProjectionGeoKey?: number;
  GTCitationGeoKey?: string;
}

const USER_DEFINED = 32767;

/** EPSG code when the file has one; otherwise a UTM zone from the projection key. */
function crsName(keys: GeoKeys): string {
  const epsg = keys.GTModelTypeGeoKey === 2 ? keys.GeographicTypeGeoKey : keys.ProjectedCSTypeGeoKey;
  if (epsg && epsg !== USER_DEFINED) return `EPSG:${epsg}`;
  const citation = keys.GTCitationGeoKey?.trim() ?? '';
  if (citation.startsWith('+proj=') || /^UTM zone \d{1,2}[NS]$/.test(citation)) return citation;
  const p = keys.ProjectionGeoKey;
  // GeoTIFF projection codes 16001-16060 are UTM north zones, 16101-16160 south.
  if (p && p > 16000 && p <= 16060) return `UTM zone ${p - 16000}N`;
  if (p && p > 16100 && p <= 16160) return `UTM zone ${p - 16100}S`;
  return 'unknown';
}
