/**
 * Number formatting for the legend, scale bar and status bar. Units are SI
 * symbols in every language; the few words (compass points, months, large
 * volumes) follow the `locale` argument ("en" or "zh-CN"), and the text
 * around them comes from the message catalogues (renderer/src/i18n).
 */

/** Elevation in metres: whole metres when the range is wide, one decimal when narrow. */
export function formatElevation(metres: number, range = 100): string {
  const digits = range < 20 ? 1 : 0;
  const text = metres.toFixed(digits);
  return `${text === '-0' || text === '-0.0' ? text.slice(1) : text} m`;
}

/** A distance for a scale bar: "500 m", "2 km", "1.5 km". */
export function formatDistance(metres: number): string {
  if (metres >= 1000) {
    const km = metres / 1000;
    return `${Number.isInteger(km) ? km : km.toFixed(1)} km`;
  }
  return `${Number.isInteger(metres) ? metres : metres.toFixed(1)} m`;
}

/** The largest 1, 2 or 5 x 10^k not above `limit`. */
export function niceLength(limit: number): number {
  if (!(limit > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(limit));
  for (const step of [5, 2, 1]) if (step * power <= limit) return step * power;
  return power;
}

/** Cell size in metres, e.g. "74 x 93 m" or "90 m". */
export function formatCellSize(dx: number, dy: number): string {
  const a = dx.toFixed(dx < 10 ? 1 : 0);
  const b = dy.toFixed(dy < 10 ? 1 : 0);
  return a === b ? `${a} m` : `${a} \u00d7 ${b} m`;
}

/** A number for people: up to `digits` significant digits, no trailing zeros; a dash when missing. */
export function formatNumber(value: number | null | undefined, digits = 6): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '\u2013';
  return String(Number(value.toPrecision(digits)));
}

/** A file size: "812 B", "48.8 KiB", "11.0 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Simulated time as a clock: "0:00", "12:30", "1:05:00". */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant (epoch seconds) in UTC: "7 Jan 1996 06:00 UTC"; in Chinese "1996年1月7日 06:00 UTC". */
export function formatUtc(epochSeconds: number, locale = 'en'): string {
  return `${formatUtcDate(epochSeconds, locale)} ${formatUtcTime(epochSeconds)}`;
}

/** The day of an instant (epoch seconds) in UTC: "7 Jan 1996", "1996年1月7日". */
export function formatUtcDate(epochSeconds: number, locale = 'en'): string {
  const d = new Date(epochSeconds * 1000);
  if (isChinese(locale)) return new Intl.DateTimeFormat('zh-CN', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function formatUtcTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC`;
}

function isChinese(locale: string): boolean {
  return locale.toLowerCase().startsWith('zh');
}

/** A water depth or a small length: "0.042 m", "1.24 m", "12.5 m". */
export function formatMetres(metres: number): string {
  const a = Math.abs(metres);
  return `${metres.toFixed(a < 1 ? 3 : a < 10 ? 2 : 1)} m`;
}

/** A point in map coordinates: latitude/longitude for EPSG:4326, else easting/northing. */
export function formatMapPoint(x: number, y: number, crs: string): string {
  if (crs === 'EPSG:4326') {
    return `${Math.abs(y).toFixed(4)}\u00b0 ${y >= 0 ? 'N' : 'S'}, ${Math.abs(x).toFixed(4)}\u00b0 ${x >= 0 ? 'E' : 'W'}`;
  }
  return `E ${Math.round(x)}, N ${Math.round(y)}`;
}

/** The eight compass points, clockwise from north (keys of the catalogues' `compass`), and arrows along each. */
export const COMPASS_POINTS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassPoint = (typeof COMPASS_POINTS)[number];
const ARROWS = ['\u2191', '\u2197', '\u2192', '\u2198', '\u2193', '\u2199', '\u2190', '\u2196'];

/** The compass point a flow heads to, from its east and north components, and its arrow; null when (nearly) still. */
export function heading(east: number, north: number): { point: CompassPoint; arrow: string } | null {
  if (Math.hypot(east, north) < 1e-3) return null;
  const degrees = ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360;
  const k = Math.round(degrees / 45) % 8;
  return { point: COMPASS_POINTS[k]!, arrow: ARROWS[k]! };
}

/** A volume of water: "812 m³", "48.2 thousand m³", "15.9 million m³"; in Chinese "4.82万 m³", "1590万 m³", "1.59亿 m³". */
export function formatVolume(m3: number, locale = 'en'): string {
  if (m3 < 1e4) return `${formatNumber(m3, 3)} m\u00b3`;
  const compact = new Intl.NumberFormat(isChinese(locale) ? 'zh-CN' : 'en', { notation: 'compact', compactDisplay: 'long', maximumSignificantDigits: 3 });
  return `${compact.format(m3)} m\u00b3`;
}
