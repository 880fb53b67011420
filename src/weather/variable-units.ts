/**
 * Units of weather inputs: each variable must come in units of its own kind
 * (a temperature in K, degC or degF, a wind in m/s, kn, ...), converted here
 * to SI. Units the file states and units the scenario gives must agree; a
 * variable with neither is refused rather than guessed.
 */
import { TerraError } from '../api/errors';
import { conversion, findUnits, type Conversion, type UnitFamily } from '../core/units';

interface Kind {
  family: UnitFamily;
  si: string;
  examples: string;
  /** Values outside this range (SI) mean wrong units or a broken file, not weather. */
  plausible: [number, number];
}

const KINDS: Record<string, Kind> = {
  temperature: { family: 'temperature', si: 'K', examples: 'K, degC, degF', plausible: [170, 340] },
  pressure: { family: 'pressure', si: 'Pa', examples: 'Pa, hPa, kPa', plausible: [30000, 110000] },
  relative_humidity: { family: 'dimensionless', si: '1', examples: '1 (a fraction) or %', plausible: [0, 1.05] },
  u: { family: 'speed', si: 'm/s', examples: 'm/s, kn, km/h, mph', plausible: [-120, 120] },
  v: { family: 'speed', si: 'm/s', examples: 'm/s, kn, km/h, mph', plausible: [-120, 120] },
  wind_speed: { family: 'speed', si: 'm/s', examples: 'm/s, kn, km/h, mph', plausible: [0, 120] },
};

/** The plausible range of a variable in SI units, and the SI unit. */
export function plausibleRange(variable: string): { range: [number, number]; si: string } {
  const kind = KINDS[variable]!;
  return { range: kind.plausible, si: kind.si };
}

/**
 * The conversion to SI of `variable` read from `file`; `fileUnits` is what the
 * file says ("" when nothing), `given` the scenario's units, `field` the
 * scenario field named in errors.
 */
export function toSi(variable: string, fileUnits: string, given: string | undefined, file: string, field: string): Conversion {
  const kind = KINDS[variable]!;
  const fail = (problem: string) => new TerraError('INVALID_PARAMS', `${field}: ${file}: ${problem}`, { file, field, problem: 'units' });
  const parse = (text: string, where: string) => {
    const info = findUnits(text);
    if (!info) throw fail(`unknown units "${text}" (${where}); ${variable} takes ${kind.examples}`);
    if (info.family !== kind.family) throw fail(`${variable} in "${text}" (${where}) is not a ${variable.replace('_', ' ')}; use ${kind.examples}`);
    return info;
  };
  if (!fileUnits && !given) throw fail(`no units for ${variable}; give ${field}.units (${kind.examples})`);
  const fromFile = fileUnits ? parse(fileUnits, 'in the file') : undefined;
  const fromScenario = given ? parse(given, `${field}.units`) : undefined;
  if (fromFile && fromScenario && fromFile.symbol !== fromScenario.symbol) {
    throw fail(`inconsistent units: the file says ${fromFile.symbol}, ${field}.units says ${fromScenario.symbol}`);
  }
  return conversion((fromFile ?? fromScenario)!.symbol, kind.si);
}
