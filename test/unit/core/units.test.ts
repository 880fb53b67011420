// Unit conversion: exact factors from their definitions, the spellings files use, and typed errors.
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { conversion, convertArray, convertValue, findUnits, parseUnits, projectUnits } from '../../../src/core/units';
import { convertRasterUnits } from '../../../src/core/raster';

describe('unit conversion', () => {
  it('uses the defining factors (international foot, knot, inch)', () => {
    expect(convertValue(1, 'ft', 'm')).toBe(0.3048);
    expect(convertValue(14176.16, 'feet', 'm')).toBeCloseTo(4320.893568, 9);
    expect(convertValue(1, 'US survey foot', 'm')).toBeCloseTo(1200 / 3937, 15);
    expect(convertValue(1, 'knots', 'm/s')).toBeCloseTo(1852 / 3600, 15);
    expect(convertValue(10, 'kt', 'km/h')).toBeCloseTo(18.52, 12);
    expect(convertValue(1, 'in', 'mm')).toBeCloseTo(25.4, 12);
    expect(convertValue(36, 'km/h', 'm/s')).toBeCloseTo(10, 12);
  });

  it('temperatures with offsets', () => {
    expect(convertValue(0, 'degC', 'K')).toBe(273.15);
    expect(convertValue(300, 'K', 'degC')).toBeCloseTo(26.85, 12);
    expect(convertValue(212, 'degF', 'degC')).toBeCloseTo(100, 12);
    expect(convertValue(-40, 'degC', 'degF')).toBeCloseTo(-40, 12);
    expect(convertValue(convertValue(17.3, 'degC', 'degF'), 'degF', 'degC')).toBeCloseTo(17.3, 12);
  });

  it('rain: kg m-2 is mm of water; rates per hour and second', () => {
    expect(convertValue(12.5, 'kg m^-2', 'mm')).toBeCloseTo(12.5, 12);
    expect(convertValue(1, 'kg m-2 s-1', 'mm/h')).toBeCloseTo(3600, 9);
    expect(convertValue(3.6, 'mm/h', 'm/s')).toBeCloseTo(1e-6, 18);
    expect(convertValue(24, 'mm/day', 'mm/h')).toBeCloseTo(1, 12);
    expect(convertValue(1013.25, 'hPa', 'Pa')).toBeCloseTo(101325, 9);
    expect(convertValue(1, 'mb', 'kPa')).toBeCloseTo(0.1, 12);
  });

  it('reads the spellings of files and headers', () => {
    for (const [text, symbol] of [
      ['metres', 'm'],
      ['Meters', 'm'],
      ['FT', 'ft'],
      ['m s-1', 'm/s'],
      ['m s**-1', 'm/s'],
      ['kg m^-2', 'kg m-2'],
      ['kg.m-2', 'kg m-2'],
      ['degrees_north', 'deg'],
      ['Celsius', 'degC'],
      ['kelvin', 'K'],
      ['m3/s', 'm3/s'],
      ['cfs', 'ft3/s'],
    ] as const) {
      expect(findUnits(text)?.symbol, text).toBe(symbol);
    }
  });

  it('picks project units per family', () => {
    expect(projectUnits('ft')).toBe('m');
    expect(projectUnits('kn')).toBe('m/s');
    expect(projectUnits('kg m-2')).toBe('mm');
    expect(projectUnits('in/h')).toBe('mm/h');
    expect(projectUnits('K')).toBe('degC');
    expect(projectUnits('hPa')).toBe('Pa');
  });

  it('converts arrays and rasters without touching the input; NaN stays NaN', () => {
    const feet = Float32Array.from([0, 10, NaN]);
    const m = convertArray(feet, 'ft', 'm');
    expect(Array.from(feet)).toEqual([0, 10, NaN]);
    expect(m[1]).toBeCloseTo(3.048, 6);
    expect(Number.isNaN(m[2]!)).toBe(true);
    const r = convertRasterUnits({ data: feet, units: 'ft', georef: { nx: 3, ny: 1, x0: 0, y0: 1, dx: 1, dy: 1, crs: 'unknown', dxMetres: 1, dyMetres: 1 } }, 'metres');
    expect(r.units).toBe('m');
    expect(conversion('m', 'm')).toMatchObject({ scale: 1, offset: 0 });
  });

  it('unknown or incompatible units are TerraErrors naming file and field', () => {
    let err: unknown;
    try {
      parseUnits('furlongs', { file: 'dem.nc', field: 'elevation' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).code).toBe('INVALID_DATA');
    expect((err as TerraError).message).toMatch(/dem.nc: elevation: unknown units "furlongs"/);
    expect((err as TerraError).details).toMatchObject({ file: 'dem.nc', field: 'elevation', problem: 'units' });
    expect(() => parseUnits('', { file: 'x.nc', field: 'p' })).toThrow(/x.nc: p: no units given/);
    expect(() => conversion('m', 'K', { file: 'a.tif' })).toThrow(/a.tif: cannot convert m \(length\) to K \(temperature\)/);
  });
});
