/**
 * Coordinate reference systems by name, resolved to proj4 definitions offline:
 * EPSG geographic codes (WGS 84, NAD83, ETRS89, SIRGAS 2000), Web Mercator,
 * UTM zones on WGS 84 / NAD83 / ETRS89 / SIRGAS 2000, "UTM zone 25S" names
 * from GeoTIFF keys, and raw "+proj=..." strings. Anything else is a typed
 * error: a grid is never silently placed in the wrong CRS.
 */
import proj4 from 'proj4';
import { TerraError } from '../api/errors';

export interface Crs {
  /** Stable id: "EPSG:32613", "EPSG:4326", or the proj string itself. */
  id: string;
  proj4: string;
  /** Longitude/latitude in degrees. */
  geographic: boolean;
  /** Spherical (Web) Mercator: map units are not ground metres (scale 1/cos(lat)). */
  webMercator: boolean;
  /** Short human description for `terra inspect`. */
  title: string;
}

const GEOGRAPHIC: Record<number, [string, string]> = {
  4326: ['+proj=longlat +datum=WGS84 +no_defs', 'WGS 84'],
  4269: ['+proj=longlat +datum=NAD83 +no_defs', 'NAD83'],
  4258: ['+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs', 'ETRS89'],
  4674: ['+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs', 'SIRGAS 2000'],
  4283: ['+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs', 'GDA94'],
};

const WEB_MERCATOR = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';

function utm(zone: number, south: boolean, datum: string): string {
  return `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${datum} +units=m +no_defs`;
}

const WGS84 = '+datum=WGS84';
const GRS80 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';

/** Resolves a CRS name; `ctx` names the file and field in the error. */
export function resolveCrs(name: string, ctx: { file?: string; field?: string } = {}): Crs {
  const text = name.trim();
  const fail = (problem: string) =>
    new TerraError('INVALID_DATA', `${ctx.file ? `${ctx.file}: ` : ''}${problem}`, { file: ctx.file, field: ctx.field ?? 'crs', problem: 'crs' });
  const epsg = /^EPSG:\s*(\d+)$/i.exec(text);
  if (epsg) {
    const code = Number(epsg[1]);
    const def = epsgDefinition(code);
    if (!def) throw fail(`unknown CRS "${text}": this offline build knows EPSG 4326, 4269, 4258, 4674, 4283, 3857 and UTM zones (326xx, 327xx, 269xx, 258xx, 319xx); give a +proj string instead`);
    return def;
  }
  const zone = /^UTM\s*zone\s*(\d{1,2})\s*([NS])$/i.exec(text);
  if (zone) {
    const z = Number(zone[1]);
    if (z < 1 || z > 60) throw fail(`UTM zone ${z} is out of range 1-60`);
    const south = zone[2]!.toUpperCase() === 'S';
    return { id: `UTM zone ${z}${south ? 'S' : 'N'}`, proj4: utm(z, south, WGS84), geographic: false, webMercator: false, title: `UTM zone ${z}${south ? 'S' : 'N'} (datum assumed WGS 84)` };
  }
  if (text.startsWith('+proj=')) {
    try {
      // proj4 throws strings or errors for bad definitions; probe once.
      proj4(text, GEOGRAPHIC[4326]![0]).forward([0, 0]);
    } catch (err) {
      throw fail(`invalid proj4 definition "${text}" (${err instanceof Error ? err.message : String(err)})`);
    }
    const geographic = /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(text);
    return { id: text, proj4: text, geographic, webMercator: false, title: text };
  }
  if (text === '' || text.toLowerCase() === 'unknown') throw fail('the grid has no CRS; give one (for example --crs EPSG:32633)');
  throw fail(`unknown CRS "${text}"`);
}

function epsgDefinition(code: number): Crs | undefined {
  const id = `EPSG:${code}`;
  const geo = GEOGRAPHIC[code];
  if (geo) return { id, proj4: geo[0], geographic: true, webMercator: false, title: `${geo[1]} (geographic, degrees)` };
  if (code === 3857 || code === 900913) return { id: 'EPSG:3857', proj4: WEB_MERCATOR, geographic: false, webMercator: true, title: 'WGS 84 / Pseudo-Mercator' };
  const zoneOf = (base: number, first: number, last: number) => (code >= base + first && code <= base + last ? code - base : 0);
  let z: number;
  if ((z = zoneOf(32600, 1, 60))) return utmCrs(id, z, false, WGS84, 'WGS 84');
  if ((z = zoneOf(32700, 1, 60))) return utmCrs(id, z, true, WGS84, 'WGS 84');
  if ((z = zoneOf(26900, 1, 23))) return utmCrs(id, z, false, '+datum=NAD83', 'NAD83');
  if ((z = zoneOf(25800, 28, 38))) return utmCrs(id, z, false, GRS80, 'ETRS89');
  // SIRGAS 2000 / UTM zones 17S-25S are EPSG 31977-31985; 17N-22N are 31971-31976.
  if (code >= 31977 && code <= 31985) return utmCrs(id, code - 31960, true, GRS80, 'SIRGAS 2000');
  if (code >= 31971 && code <= 31976) return utmCrs(id, code - 31954, false, GRS80, 'SIRGAS 2000');
  return undefined;
}

function utmCrs(id: string, zone: number, south: boolean, datum: string, datumName: string): Crs {
  return { id, proj4: utm(zone, south, datum), geographic: false, webMercator: false, title: `${datumName} / UTM zone ${zone}${south ? 'S' : 'N'}` };
}

/** EPSG code of the WGS 84 UTM zone holding a point (Norway/Svalbard exceptions ignored). */
export function utmZoneFor(lon: number, lat: number): string {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  const zone = Math.min(60, Math.floor((wrapped + 180) / 6) + 1);
  return `EPSG:${lat >= 0 ? 32600 + zone : 32700 + zone}`;
}

/** Widest longitude span (degrees) still given a UTM zone; wider grids get an equal-area projection. */
export const UTM_MAX_SPAN_DEG = 12;

/**
 * The default metric CRS for data covering these longitudes/latitudes: the
 * WGS 84 UTM zone of the centre, or for grids wider than {@link UTM_MAX_SPAN_DEG}
 * (where UTM distorts badly) a Lambert azimuthal equal-area projection centred on them.
 */
export function metricCrsFor(lonMin: number, lonMax: number, latMin: number, latMax: number): string {
  const lon = (lonMin + lonMax) / 2;
  const lat = (latMin + latMax) / 2;
  if (lonMax - lonMin <= UTM_MAX_SPAN_DEG) return utmZoneFor(lon, lat);
  const r = (v: number) => Number(v.toFixed(4));
  return `+proj=laea +lat_0=${r(lat)} +lon_0=${r(lon)} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs`;
}

/** A point transform between two CRSs; both directions. */
export interface Transform {
  forward(x: number, y: number): [number, number];
  inverse(x: number, y: number): [number, number];
}

export function transformBetween(from: Crs, to: Crs): Transform {
  if (from.proj4 === to.proj4) return { forward: (x, y) => [x, y], inverse: (x, y) => [x, y] };
  const t = proj4(from.proj4, to.proj4);
  const wrap = (f: (p: [number, number]) => number[]) => (x: number, y: number): [number, number] => {
    try {
      const p = f([x, y]);
      return [p[0]!, p[1]!];
    } catch {
      return [NaN, NaN];
    }
  };
  return { forward: wrap((p) => t.forward(p)), inverse: wrap((p) => t.inverse(p)) };
}
