/**
 * Float32 GeoTIFF writer: single band, uncompressed, little-endian, in strips
 * of about 64 KiB, NaN written as GDAL_NODATA -9999. Georeference as
 * ModelPixelScale + ModelTiepoint (corner of cell (0, 0), PixelIsArea); CRS as
 * an EPSG code, or for other CRSs a user-defined projected CRS whose citation
 * carries the name ("UTM zone 25S") or "+proj=" definition, which
 * {@link readGeoTiff} reads back.
 *
 * Written here rather than with the `geotiff` package's writer, which boxes
 * every pixel (over a second for 2.4 M cells) and, given no EPSG code, stamps
 * EPSG:4326 with a whole-globe tie point.
 */
import { writeFile } from 'node:fs/promises';
import { isGeographicCrs } from '../core/georef';
import type { Raster } from '../core/raster';

const NODATA = -9999;
const USER_DEFINED = 32767;

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;
const ASCII = 2;
const TYPE_SIZE: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8 };

interface Tag {
  id: number;
  type: number;
  values: number[] | string;
}

/** GeoKeyDirectory entries and the ASCII parameters they point into. */
function geoKeys(crs: string): { directory: number[]; ascii: string } {
  const keys: Array<[number, number, number, number]> = []; // id, location, count, value/offset
  let ascii = '';
  const text = (id: number, s: string) => {
    keys.push([id, 34737, s.length + 1, ascii.length]);
    ascii += `${s}|`;
  };
  const epsg = /^EPSG:(\d+)$/.exec(crs)?.[1];
  const geographic = epsg !== undefined && isGeographicCrs(crs);
  keys.push([1024, 0, 1, geographic ? 2 : 1]); // GTModelTypeGeoKey
  keys.push([1025, 0, 1, 1]); // GTRasterTypeGeoKey: PixelIsArea
  if (!epsg && crs !== 'unknown') text(1026, crs); // GTCitationGeoKey
  if (geographic) keys.push([2048, 0, 1, Number(epsg)]); // GeographicTypeGeoKey
  else keys.push([3072, 0, 1, epsg ? Number(epsg) : USER_DEFINED]); // ProjectedCSTypeGeoKey
  keys.sort((a, b) => a[0] - b[0]);
  return { directory: [1, 1, 0, keys.length, ...keys.flat()], ascii };
}

export function encodeGeoTiff(raster: Raster): ArrayBuffer {
  const { nx, ny, x0, y0, dx, dy, crs } = raster.georef;
  const rowBytes = nx * 4;
  const rowsPerStrip = Math.max(1, Math.min(ny, Math.floor(65536 / rowBytes)));
  const strips = Math.ceil(ny / rowsPerStrip);
  const keys = geoKeys(crs);
  const tags: Tag[] = [
    { id: 256, type: LONG, values: [nx] },
    { id: 257, type: LONG, values: [ny] },
    { id: 258, type: SHORT, values: [32] },
    { id: 259, type: SHORT, values: [1] },
    { id: 262, type: SHORT, values: [1] },
    { id: 273, type: LONG, values: new Array<number>(strips).fill(0) }, // StripOffsets, set below
    { id: 277, type: SHORT, values: [1] },
    { id: 278, type: LONG, values: [rowsPerStrip] },
    { id: 279, type: LONG, values: Array.from({ length: strips }, (_, s) => Math.min(rowsPerStrip, ny - s * rowsPerStrip) * rowBytes) },
    { id: 284, type: SHORT, values: [1] },
    { id: 339, type: SHORT, values: [3] }, // SampleFormat: IEEE float
    { id: 33550, type: DOUBLE, values: [dx, dy, 0] },
    { id: 33922, type: DOUBLE, values: [0, 0, 0, x0, y0, 0] },
    { id: 34735, type: SHORT, values: keys.directory },
    ...(keys.ascii ? [{ id: 34737, type: ASCII, values: `${keys.ascii}\0` }] : []),
    { id: 42113, type: ASCII, values: `${NODATA}\0` },
  ];
  const count = (t: Tag) => (typeof t.values === 'string' ? t.values.length : t.values.length);
  const bytesOf = (t: Tag) => count(t) * TYPE_SIZE[t.type]!;
  // Layout: header (8) | IFD | out-of-line values (word aligned) | pixels (4-aligned).
  const ifdSize = 2 + tags.length * 12 + 4;
  let extra = 8 + ifdSize;
  const offsets = new Map<Tag, number>();
  for (const t of tags) {
    if (bytesOf(t) <= 4) continue;
    extra += extra % 2;
    offsets.set(t, extra);
    extra += bytesOf(t);
  }
  const dataStart = Math.ceil(extra / 4) * 4;
  const stripOffsets = tags.find((t) => t.id === 273)!.values as number[];
  for (let s = 0; s < strips; s++) stripOffsets[s] = dataStart + s * rowsPerStrip * rowBytes;

  const out = new ArrayBuffer(dataStart + nx * ny * 4);
  const dv = new DataView(out);
  const le = true;
  dv.setUint8(0, 0x49);
  dv.setUint8(1, 0x49);
  dv.setUint16(2, 42, le);
  dv.setUint32(4, 8, le);
  dv.setUint16(8, tags.length, le);
  const put = (at: number, t: Tag) => {
    if (typeof t.values === 'string') {
      for (let i = 0; i < t.values.length; i++) dv.setUint8(at + i, t.values.charCodeAt(i));
      return;
    }
    t.values.forEach((v, i) => {
      if (t.type === SHORT) dv.setUint16(at + 2 * i, v, le);
      else if (t.type === LONG) dv.setUint32(at + 4 * i, v, le);
      else dv.setFloat64(at + 8 * i, v, le);
    });
  };
  tags.forEach((t, i) => {
    const at = 10 + i * 12;
    dv.setUint16(at, t.id, le);
    dv.setUint16(at + 2, t.type, le);
    dv.setUint32(at + 4, count(t), le);
    const where = offsets.get(t);
    if (where === undefined) put(at + 8, t);
    else {
      dv.setUint32(at + 8, where, le);
      put(where, t);
    }
  });
  dv.setUint32(10 + tags.length * 12, 0, le); // no next IFD
  const pixels = new Float32Array(out, dataStart, nx * ny);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported by the GeoTIFF writer');
  pixels.set(raster.data);
  for (let i = 0; i < pixels.length; i++) if (pixels[i] !== pixels[i]) pixels[i] = NODATA;
  return out;
}

export async function writeGeoTiff(path: string, raster: Raster): Promise<void> {
  await writeFile(path, new Uint8Array(encodeGeoTiff(raster)));
}
