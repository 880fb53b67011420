/** Number formatting for the legend, scale bar and status bar. */

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

/** A number for people: up to `digits` significant digits, no trailing zeros; "n/a" when missing. */
export function formatNumber(value: number | null | undefined, digits = 6): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
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

/** An instant (epoch seconds) in UTC: "7 Jan 1996 06:00 UTC". */
export function formatUtc(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hh}:${mm} UTC`;
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

const COMPASS = ['\u2191 N', '\u2197 NE', '\u2192 E', '\u2198 SE', '\u2193 S', '\u2199 SW', '\u2190 W', '\u2196 NW'];

/** Where a flow heads, from its east and north components: "↗ NE"; "" when (nearly) still. */
export function formatHeading(east: number, north: number): string {
  if (Math.hypot(east, north) < 1e-3) return '';
  const degrees = ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360;
  return COMPASS[Math.round(degrees / 45) % 8]!;
}

/** Where a wind blows from, meteorologists' way, with an arrow along the flow: "↘ from NW"; "" when calm. */
export function formatWindFrom(east: number, north: number): string {
  const to = formatHeading(east, north);
  const from = formatHeading(-east, -north);
  return to && from ? `${to.split(' ')[0]} from ${from.split(' ')[1]}` : '';
}

/** A volume of water: "812 m³", "48.2 thousand m³", "15.9 million m³". */
export function formatVolume(m3: number): string {
  if (m3 >= 1e6) return `${(m3 / 1e6).toFixed(m3 >= 1e8 ? 0 : 1)} million m\u00b3`;
  if (m3 >= 1e4) return `${(m3 / 1e3).toFixed(1)} thousand m\u00b3`;
  return `${formatNumber(m3, 3)} m\u00b3`;
}
