/**
 * Physical units: parse the spellings files use ("feet", "kg m^-2", "m s-1",
 * "degC", "knots"), convert between units of one dimension, and pick the
 * project's unit for each family (metres for lengths, m/s for speeds, ...).
 * An unknown or incompatible unit is a TerraError naming file and field.
 */
import { TerraError } from '../api/errors';

/** What a unit measures; conversion is allowed within one dimension only. */
export type Dimension = 'length' | 'velocity' | 'discharge' | 'temperature' | 'pressure' | 'angle' | 'time' | 'dimensionless';

/** A family groups units the project stores in one preferred unit (rain in mm, terrain in m). */
export type UnitFamily =
  | 'length'
  | 'precipitation'
  | 'speed'
  | 'precipitation-rate'
  | 'discharge'
  | 'temperature'
  | 'pressure'
  | 'angle'
  | 'time'
  | 'dimensionless';

export interface UnitInfo {
  /** The canonical spelling, e.g. "ft", "m/s", "degC". */
  symbol: string;
  dimension: Dimension;
  family: UnitFamily;
  /** SI value = value * scale + offset (SI: m, m/s, K, Pa, rad, s, 1). */
  scale: number;
  offset: number;
}

/** Where a failing unit came from, for the error message. */
export interface UnitContext {
  file?: string;
  field?: string;
}

const FT = 0.3048;
const US_FT = 1200 / 3937;
const KNOT = 1852 / 3600;

/** Canonical units, each with the spellings that mean it (compared after {@link normaliseSpelling}). */
const UNITS: Array<[UnitInfo, string[]]> = [
  [u('m', 'length', 'length', 1), ['m', 'metre', 'metres', 'meter', 'meters', 'm above sea level', 'masl', 'm asl']],
  [u('km', 'length', 'length', 1000), ['km', 'kilometre', 'kilometres', 'kilometer', 'kilometers']],
  [u('cm', 'length', 'length', 0.01), ['cm', 'centimetre', 'centimetres', 'centimeter', 'centimeters']],
  [u('ft', 'length', 'length', FT), ['ft', 'feet', 'foot', 'international foot', 'international feet', 'ft (international)']],
  [u('US survey ft', 'length', 'length', US_FT), ['us survey foot', 'us survey feet', 'us_survey_foot', 'ftus', 'us-ft', 'us ft', 'survey foot']],
  [u('mm', 'length', 'precipitation', 0.001), ['mm', 'millimetre', 'millimetres', 'millimeter', 'millimeters']],
  // 1 kg of water over 1 m2 is 1 mm deep: how gridded rain is often stored.
  [u('kg m-2', 'length', 'precipitation', 0.001), ['kg m-2', 'kg/m2', 'kg/m 2', 'kg m -2', 'kgm-2', 'kg per m2', 'kg/m*m']],
  [u('in', 'length', 'precipitation', 0.0254), ['in', 'inch', 'inches']],
  [u('m/s', 'velocity', 'speed', 1), ['m/s', 'm s-1', 'ms-1', 'm s -1', 'metre per second', 'metres per second', 'meter per second', 'meters per second', 'mps']],
  [u('km/h', 'velocity', 'speed', 1 / 3.6), ['km/h', 'km h-1', 'kmh', 'kph', 'kilometres per hour', 'kilometers per hour']],
  [u('kn', 'velocity', 'speed', KNOT), ['kn', 'kt', 'kts', 'knot', 'knots']],
  [u('mph', 'velocity', 'speed', 0.44704), ['mph', 'mi/h', 'miles per hour']],
  [u('ft/s', 'velocity', 'speed', FT), ['ft/s', 'ft s-1', 'fps', 'feet per second']],
  [u('mm/h', 'velocity', 'precipitation-rate', 0.001 / 3600), ['mm/h', 'mm/hr', 'mm h-1', 'mm hr-1', 'mm per hour', 'mmh-1']],
  [u('mm/s', 'velocity', 'precipitation-rate', 0.001), ['mm/s', 'mm s-1', 'kg m-2 s-1', 'kg/m2/s', 'kg m-2s-1']],
  [u('mm/day', 'velocity', 'precipitation-rate', 0.001 / 86400), ['mm/day', 'mm/d', 'mm day-1', 'mm d-1', 'kg m-2 day-1']],
  [u('in/h', 'velocity', 'precipitation-rate', 0.0254 / 3600), ['in/h', 'in/hr', 'inch/h', 'inches per hour']],
  [u('m3/s', 'discharge', 'discharge', 1), ['m3/s', 'm3 s-1', 'm^3/s', 'cumecs', 'cms']],
  [u('L/s', 'discharge', 'discharge', 0.001), ['l/s', 'l s-1', 'litres per second', 'liters per second']],
  [u('ft3/s', 'discharge', 'discharge', FT ** 3), ['ft3/s', 'cfs', 'ft3 s-1', 'cubic feet per second']],
  [u('K', 'temperature', 'temperature', 1), ['k', 'kelvin', 'degk', 'deg k', 'degrees kelvin']],
  [u('degC', 'temperature', 'temperature', 1, 273.15), ['degc', 'deg c', '°c', 'celsius', 'degree celsius', 'degrees celsius', 'degree_celsius', 'degrees_celsius', 'c', 'deg_c']],
  [u('degF', 'temperature', 'temperature', 5 / 9, 273.15 - (32 * 5) / 9), ['degf', 'deg f', '°f', 'fahrenheit', 'degrees fahrenheit', 'f', 'deg_f']],
  [u('Pa', 'pressure', 'pressure', 1), ['pa', 'pascal', 'pascals']],
  [u('hPa', 'pressure', 'pressure', 100), ['hpa', 'mb', 'mbar', 'millibar', 'millibars', 'hectopascal', 'hectopascals']],
  [u('kPa', 'pressure', 'pressure', 1000), ['kpa', 'kilopascal', 'kilopascals']],
  [u('deg', 'angle', 'angle', Math.PI / 180), ['deg', 'degree', 'degrees', '°', 'degrees_north', 'degrees_east', 'degree_north', 'degree_east', 'degrees_true']],
  [u('rad', 'angle', 'angle', 1), ['rad', 'radian', 'radians']],
  [u('s', 'time', 'time', 1), ['s', 'sec', 'second', 'seconds']],
  [u('h', 'time', 'time', 3600), ['h', 'hr', 'hour', 'hours']],
  [u('1', 'dimensionless', 'dimensionless', 1), ['1', 'fraction', 'unitless', 'dimensionless']],
  [u('%', 'dimensionless', 'dimensionless', 0.01), ['%', 'percent']],
];

function u(symbol: string, dimension: Dimension, family: UnitFamily, scale: number, offset = 0): UnitInfo {
  return { symbol, dimension, family, scale, offset };
}

const BY_SPELLING = new Map<string, UnitInfo>();
for (const [info, spellings] of UNITS) for (const s of [info.symbol, ...spellings]) BY_SPELLING.set(normaliseSpelling(s), info);

/** The unit each family is stored in inside a project. */
export const PROJECT_UNITS: Record<UnitFamily, string> = {
  length: 'm',
  precipitation: 'mm',
  speed: 'm/s',
  'precipitation-rate': 'mm/h',
  discharge: 'm3/s',
  temperature: 'degC',
  pressure: 'Pa',
  angle: 'deg',
  time: 's',
  dimensionless: '1',
};

/** Lower case, one space between tokens, no "^" or "**", "per" kept as text. */
function normaliseSpelling(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\*\*|\^/g, '')
    .replace(/[·.](?=[a-z])/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Unit info for a spelling, or undefined when it is not known. */
export function findUnits(text: string): UnitInfo | undefined {
  return BY_SPELLING.get(normaliseSpelling(text));
}

export function parseUnits(text: string, ctx: UnitContext = {}): UnitInfo {
  const info = findUnits(text);
  if (info) return info;
  const where = [ctx.file, ctx.field].filter(Boolean).join(': ');
  const problem = text.trim() === '' ? 'no units given' : `unknown units "${text}"`;
  throw new TerraError(
    'INVALID_DATA',
    `${where ? `${where}: ` : ''}${problem}; known units include m, ft, mm, kg m-2, m/s, kn, km/h, mm/h, K, degC, degF, Pa, hPa`,
    { file: ctx.file, field: ctx.field ?? 'units', problem: 'units' },
  );
}

/** The unit the project stores this unit's family in (feet -> "m", knots -> "m/s", kg m-2 -> "mm"). */
export function projectUnits(units: string, ctx: UnitContext = {}): string {
  return PROJECT_UNITS[parseUnits(units, ctx).family];
}

/** value_to = value_from * scale + offset. */
export interface Conversion {
  scale: number;
  offset: number;
  from: string;
  to: string;
}

export function conversion(from: string, to: string, ctx: UnitContext = {}): Conversion {
  const a = parseUnits(from, ctx);
  const b = parseUnits(to, ctx);
  if (a.dimension !== b.dimension) {
    throw new TerraError('INVALID_DATA', `${ctx.file ? `${ctx.file}: ` : ''}cannot convert ${a.symbol} (${a.dimension}) to ${b.symbol} (${b.dimension})`, {
      file: ctx.file,
      field: ctx.field ?? 'units',
      problem: 'units',
    });
  }
  // si = v * a.scale + a.offset; to = (si - b.offset) / b.scale
  return { scale: a.scale / b.scale, offset: (a.offset - b.offset) / b.scale, from: a.symbol, to: b.symbol };
}

export function convertValue(value: number, from: string, to: string): number {
  const c = conversion(from, to);
  return value * c.scale + c.offset;
}

/** A converted copy (NaN stays NaN); the input is untouched. */
export function convertArray<T extends Float32Array | Float64Array>(values: T, from: string, to: string, ctx: UnitContext = {}): T {
  const { scale, offset } = conversion(from, to, ctx);
  const out = values.slice() as T;
  if (scale === 1 && offset === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale + offset;
  return out;
}
