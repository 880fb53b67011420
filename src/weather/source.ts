/** What a weather source (gridded files, stations or a synthetic state) gives the run: fields on the site grid at an instant, in SI units. */

export interface SourceFields {
  /** Temperature (K), pressure (Pa) and relative humidity (fraction) at the reference elevation. */
  temperature?: Float32Array;
  pressure?: Float32Array;
  relativeHumidity?: Float32Array;
  /** Wind along the grid's x (east) and y (north) axes (m/s). */
  u?: Float32Array;
  v?: Float32Array;
  /** Wind speed without a direction (m/s), from stations. */
  windSpeed?: Float32Array;
  /** Rain rate (mm/h) at the ground; not downscaled (a synthetic source's rain cell). */
  precipitation?: Float32Array;
}

export type SourceVariable = keyof SourceFields;

/** A point whose series goes to points.csv (site CRS coordinates). */
export interface OutputPoint {
  name: string;
  x: number;
  y: number;
}

export interface WeatherSource {
  kind: 'grid' | 'stations' | 'synthetic';
  /** Elevation (m) the temperature, pressure and humidity hold at. */
  referenceElevation: number;
  variables: SourceVariable[];
  /** Fields at an instant (epoch ms) the loader has checked. */
  fieldsAt(t: number): SourceFields;
  /** One line per input, for the log and summary. */
  description: string[];
  warnings: string[];
  /** Stations become output points too. */
  points: OutputPoint[];
}
