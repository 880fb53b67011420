/**
 * Where a site is on the Earth and what its clock says, for the sun: the
 * longitude/latitude of the grid's centre from its georeference (the CRS
 * names the engine writes: geographic EPSG codes, Web Mercator, UTM zones,
 * "+proj=" strings), and the site's local time as a solar time zone
 * (longitude / 15 h, no daylight saving: the sun does not keep it either).
 */
import proj4 from 'proj4';

/** The part of the API's Georeference this needs (kept structural so Node tests can use it). */
export interface GridPlacement {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  crs: string;
}

export interface LonLat {
  lon: number;
  lat: number;
}

const GEOGRAPHIC_EPSG = new Set([4326, 4269, 4258, 4674, 4283]);
const EARTH_RADIUS = 6_378_137;

/** Longitude/latitude (degrees) of the grid's centre, or null when its CRS is unknown to this build. */
export function siteLonLat(g: GridPlacement): LonLat | null {
  // x0, y0: the north-west corner; rows run south.
  const x = g.x0 + (g.dx * g.nx) / 2;
  const y = g.y0 - (g.dy * g.ny) / 2;
  const crs = g.crs.trim();
  const epsg = /^EPSG:\s*(\d+)$/i.exec(crs);
  const code = epsg ? Number(epsg[1]) : 0;
  let p: LonLat | null = null;
  if (GEOGRAPHIC_EPSG.has(code)) p = { lon: x, lat: y };
  else if (code === 3857 || code === 900913) p = { lon: (x / EARTH_RADIUS) * (180 / Math.PI), lat: Math.atan(Math.sinh(y / EARTH_RADIUS)) * (180 / Math.PI) };
  else {
    const def = utmDefinition(crs, code) ?? (crs.startsWith('+proj=') ? crs : null);
    if (def) p = inverse(def, x, y);
  }
  if (!p || !Number.isFinite(p.lon) || !(Math.abs(p.lat) <= 90)) return null;
  return { lon: ((((p.lon + 180) % 360) + 360) % 360) - 180, lat: p.lat };
}

/** The UTM zones the engine names (src/core/crs.ts): datum differences are metres, nothing to the sun. */
function utmDefinition(crs: string, code: number): string | null {
  const named = /^UTM\s*zone\s*(\d{1,2})\s*([NS])$/i.exec(crs);
  let zone = 0;
  let south = false;
  if (named) [zone, south] = [Number(named[1]), named[2]!.toUpperCase() === 'S'];
  else if (code > 32600 && code <= 32660) zone = code - 32600;
  else if (code > 32700 && code <= 32760) [zone, south] = [code - 32700, true];
  else if (code > 26900 && code <= 26923) zone = code - 26900;
  else if (code >= 25828 && code <= 25838) zone = code - 25800;
  else if (code >= 31977 && code <= 31985) [zone, south] = [code - 31960, true];
  else if (code >= 31971 && code <= 31976) zone = code - 31954;
  if (!(zone >= 1 && zone <= 60)) return null;
  return `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
}

function inverse(definition: string, x: number, y: number): LonLat | null {
  try {
    const [lon, lat] = proj4(definition, 'EPSG:4326', [x, y]);
    return { lon: lon!, lat: lat! };
  } catch {
    return null;
  }
}

/** The site's solar time zone: whole hours east of UTC. */
export function solarZoneHours(lon: number): number {
  return Math.max(-12, Math.min(12, Math.round(lon / 15)));
}

/** "YYYY-MM-DDTHH:MM" (an <input type="datetime-local"> value) on the site's clock, as epoch ms; NaN if malformed. */
export function siteLocalToEpoch(local: string, lon: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return NaN;
  const [, yy, mo, dd, hh, mi] = m.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(yy, mo - 1, dd, hh, mi) - solarZoneHours(lon) * 3_600_000;
}

/** Epoch ms as "YYYY-MM-DD HH:MM" on the site's clock. */
export function formatSiteTime(epochMs: number, lon: number): string {
  return new Date(epochMs + solarZoneHours(lon) * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today (the user's calendar) at `hour`:00, as a datetime-local value: the flood run's default start. */
export function todayAt(hour: number, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(hour)}:00`;
}
