/**
 * Timestamps: strict ISO 8601 parsing with offsets ("2018-09-14T06:00:00Z",
 * "1996-01-05 00:00 +01:00", "2012-01-01"), time zones for local wall times
 * (UTC, fixed offsets, IANA names through Intl), and CF time units
 * ("hours since 2001-12-31T23:00:00Z"). Instants are epoch milliseconds, UTC.
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Date part: YYYY-MM-DD (also "/" or " " separated, as in "1996 01 05"); then optional time and offset. */
const TIMESTAMP =
  /^(\d{4})([-/ ])(\d{1,2})\2(\d{1,2})(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;

export interface ParsedTimestamp {
  wall: WallTime;
  /** Offset east of UTC in minutes when the text carries one. */
  offsetMinutes?: number;
  /** The text has no time of day (a date). */
  dateOnly: boolean;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses the text of a timestamp; undefined when it is not one or a field is out of range. */
export function parseTimestampText(text: string): ParsedTimestamp | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const hour = m[5] === undefined ? 0 : Number(m[5]);
  const minute = m[6] === undefined ? 0 : Number(m[6]);
  const second = m[7] === undefined ? 0 : Number(m[7]);
  const ms = m[8] === undefined ? 0 : Math.round(Number(`0.${m[8]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute || second || ms))) return undefined;
  let offsetMinutes: number | undefined;
  const zone = m[9];
  if (zone) {
    if (/^(Z|UTC|GMT)$/i.test(zone)) offsetMinutes = 0;
    else {
      const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
      const h = Number(z[2]);
      const mm = Number(z[3] ?? 0);
      if (h > 14 || mm > 59) return undefined;
      offsetMinutes = (z[1] === '-' ? -1 : 1) * (h * 60 + mm);
    }
  }
  return { wall: { year, month, day, hour, minute, second, ms }, offsetMinutes, dateOnly: m[5] === undefined };
}

function wallToUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of an IANA zone (or "UTC" / "+05:30") east of UTC, in minutes, at an instant. */
export function zoneOffsetMinutes(zone: string, epochMs: number): number {
  const fixed = fixedOffset(zone);
  if (fixed !== undefined) return fixed;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(epochMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - Math.floor(epochMs / 1000) * 1000) / 60000);
}

function fixedOffset(zone: string): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(zone)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** True when `zone` is "UTC", a fixed offset or an IANA zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (fixedOffset(zone) !== undefined) return true;
  try {
    zoneOffsetMinutes(zone, 0);
    return true;
  } catch {
    return false;
  }
}

/** Epoch ms of a wall time in a zone (for a wall time that occurs twice, the earlier). */
export function wallTimeInZone(w: WallTime, zone: string): number {
  const local = wallToUtcMs(w);
  const first = local - zoneOffsetMinutes(zone, local) * 60000;
  const second = local - zoneOffsetMinutes(zone, first) * 60000;
  return Math.min(first, second);
}

/** Epoch ms of a parsed timestamp: its own offset wins, else the zone's. */
export function timestampToEpoch(p: ParsedTimestamp, zone: string): number {
  if (p.offsetMinutes !== undefined) return wallToUtcMs(p.wall) - p.offsetMinutes * 60000;
  return wallTimeInZone(p.wall, zone);
}

/** ISO 8601 in UTC, milliseconds only when present: "2018-09-14T06:00:00Z". */
export function formatIsoUtc(epochMs: number): string {
  const s = new Date(epochMs).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

const CF_UNITS: Record<string, number> = {
  second: 1000,
  seconds: 1000,
  sec: 1000,
  secs: 1000,
  s: 1000,
  minute: 60000,
  minutes: 60000,
  min: 60000,
  mins: 60000,
  hour: 3600000,
  hours: 3600000,
  hr: 3600000,
  hrs: 3600000,
  h: 3600000,
  day: 86400000,
  days: 86400000,
  d: 86400000,
};

export interface CfTimeUnits {
  /** Milliseconds per unit. */
  unitMs: number;
  /** Epoch ms of the reference time. */
  epochMs: number;
}

/** "hours since 2001-12-31T23:00:00Z" (any case; months/years are refused as ambiguous). Undefined if not CF time units. */
export function parseCfTimeUnits(text: string): CfTimeUnits | undefined {
  const m = /^\s*([a-z]+)\s+since\s+(.+?)\s*$/i.exec(text);
  if (!m) return undefined;
  const unitMs = CF_UNITS[m[1]!.toLowerCase()];
  if (!unitMs) return undefined;
  const ref = parseTimestampText(m[2]!.replace(/\s+UTC$/i, 'Z'));
  if (!ref) return undefined;
  return { unitMs, epochMs: timestampToEpoch(ref, 'UTC') };
}
