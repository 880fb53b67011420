/** Float32 GeoTIFF writer (single band, uncompressed) via the `geotiff` package. */
import { writeFile } from 'node:fs/promises';
import { writeArrayBuffer } from 'geotiff';
import type { Raster } from '../core/raster';

const NODATA = -9999;

export function encodeGeoTiff(raster: Raster): ArrayBuffer {
  const { nx, ny, x0, y0, dx, dy, crs } = raster.georef;
  const data = Float32Array.from(raster.data, (v) => (Number.isNaN(v) ? NODATA : v));
  const epsg = /^EPSG:(\d+)$/.exec(crs)?.[1];
  const keys: Record<string, number> = {};
  if (epsg === '4326') Object.assign(keys, { GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 });
  else if (epsg) Object.assign(keys, { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: Number(epsg) });
  return writeArrayBuffer(data, {
    width: nx,
    height: ny,
    BitsPerSample: [32],
    SampleFormat: [3], // IEEE float
    ModelPixelScale: [dx, dy, 0],
    ModelTiepoint: [0, 0, 0, x0, y0, 0],
    GDAL_NODATA: String(NODATA),
    ...keys,
  } as Parameters<typeof writeArrayBuffer>[1]);
}

export async function writeGeoTiff(path: string, raster: Raster): Promise<void> {
  await writeFile(path, new Uint8Array(encodeGeoTiff(raster)));
}
