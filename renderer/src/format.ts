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
