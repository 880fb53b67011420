import { describe, expect, it } from 'vitest';
import { formatIsoUtc, isValidTimeZone, parseCfTimeUnits, parseTimestampText, timestampToEpoch, wallTimeInZone } from '../../../src/core/time';

const iso = (text: string, zone = 'UTC') => {
  const p = parseTimestampText(text);
  return p ? formatIsoUtc(timestampToEpoch(p, zone)) : undefined;
};

describe('timestamps', () => {
  it('ISO 8601 forms, with and without offsets', () => {
    expect(iso('2018-09-14T06:00:00Z')).toBe('2018-09-14T06:00:00Z');
    expect(iso('2018-09-14T06:00:00+02:00')).toBe('2018-09-14T04:00:00Z');
    expect(iso('2018-09-14 06:00 -0530')).toBe('2018-09-14T11:30:00Z');
    expect(iso('2018-09-14T06:00:00.5Z')).toBe('2018-09-14T06:00:00.500Z');
    expect(iso('2012-01-01')).toBe('2012-01-01T00:00:00Z');
    expect(iso('1996 01 05 00:00')).toBe('1996-01-05T00:00:00Z');
    expect(iso('2012-01-01', '+09:00')).toBe('2011-12-31T15:00:00Z');
    expect(parseTimestampText('2012-01-01')!.dateOnly).toBe(true);
  });

  it('rejects impossible dates and times', () => {
    for (const bad of ['2019-02-29', '2020-13-01', '2020-01-01T25:00', '2020-01-01T10:61', '01/02/2020', 'yesterday', '2020-01-01+15:00']) {
      expect(parseTimestampText(bad), bad).toBeUndefined();
    }
    expect(parseTimestampText('2020-02-29')).toBeDefined();
  });

  it('IANA zones follow daylight saving; the earlier of a repeated hour wins', () => {
    const w = (y: number, mo: number, d: number, h: number) => ({ year: y, month: mo, day: d, hour: h, minute: 0, second: 0, ms: 0 });
    expect(formatIsoUtc(wallTimeInZone(w(2024, 1, 15, 12), 'America/Denver'))).toBe('2024-01-15T19:00:00Z');
    expect(formatIsoUtc(wallTimeInZone(w(2024, 7, 15, 12), 'America/Denver'))).toBe('2024-07-15T18:00:00Z');
    // 01:30 happens twice on 3 Nov 2024 in Denver (MDT then MST).
    expect(formatIsoUtc(wallTimeInZone({ ...w(2024, 11, 3, 1), minute: 30 }, 'America/Denver'))).toBe('2024-11-03T07:30:00Z');
    expect(isValidTimeZone('Europe/Dublin')).toBe(true);
    expect(isValidTimeZone('+05:30')).toBe(true);
    expect(isValidTimeZone('Nowhere/Special')).toBe(false);
  });

  it('CF time units', () => {
    const cf = parseCfTimeUnits('Hour since 2001-12-31T23:00:00Z')!;
    expect(cf.unitMs).toBe(3_600_000);
    expect(formatIsoUtc(cf.epochMs + 146396 * cf.unitMs)).toBe('2018-09-13T19:00:00Z');
    expect(formatIsoUtc(parseCfTimeUnits('days since 1970-1-1')!.epochMs)).toBe('1970-01-01T00:00:00Z');
    expect(formatIsoUtc(parseCfTimeUnits('seconds since 1996-01-05 00:00:00 UTC')!.epochMs)).toBe('1996-01-05T00:00:00Z');
    expect(parseCfTimeUnits('months since 2000-01-01')).toBeUndefined();
    expect(parseCfTimeUnits('hours')).toBeUndefined();
  });
});
