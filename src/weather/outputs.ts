/** The fields a weather run writes, with their units and names in fields.zarr and points.csv. */
import type { FieldVariable } from '../io/zarr-fields';

export interface OutputVariable extends FieldVariable {
  /** points.csv column. */
  column: string;
}

export const OUTPUT_VARIABLES = {
  temperature: { name: 'temperature', units: 'degC', longName: 'air temperature at the terrain', column: 'temperature_degC' },
  pressure: { name: 'pressure', units: 'Pa', longName: 'air pressure at the terrain', column: 'pressure_Pa' },
  relative_humidity: { name: 'relative_humidity', units: '1', longName: 'relative humidity at the terrain (fraction)', column: 'relative_humidity' },
  cloud_fraction: { name: 'cloud_fraction', units: '1', longName: 'cloud/fog fraction at the terrain from saturation', column: 'cloud_fraction' },
  u: { name: 'u', units: 'm s-1', longName: 'wind along the grid x axis (east)', column: 'u_m_s' },
  v: { name: 'v', units: 'm s-1', longName: 'wind along the grid y axis (north)', column: 'v_m_s' },
  wind_speed: { name: 'wind_speed', units: 'm s-1', longName: 'wind speed', column: 'wind_speed_m_s' },
  precipitation: { name: 'precipitation', units: 'mm h-1', longName: 'rain rate at the ground', column: 'precipitation_mm_h' },
} satisfies Record<string, OutputVariable>;

export type OutputName = keyof typeof OUTPUT_VARIABLES;
