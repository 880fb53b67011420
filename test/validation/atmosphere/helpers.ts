/** Files shared by the weather scenario tests: real inputs, a site grid over Ireland, scenario JSON writers. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeGeoref } from '../../../src/core/georef';
import { writeGeoTiff } from '../../../src/io/geotiff-write';

export const WEATHER = new URL('../../../../shared/data/weather/', import.meta.url).pathname;
export const STORM = `${WEATHER}storm_jan1996/`;
export const JACKSBORO = new URL('../../../assets/sites/jacksboro/jacksboro_fault_dem.npz', import.meta.url).pathname;
export const OLINDA = new URL('../../../assets/sites/olinda/olinda_dem_utm25s.tif', import.meta.url).pathname;

/** The storm's four variables; none has a units attribute, so the scenario gives them. */
export const STORM_SOURCE = {
  type: 'grid',
  temperature: { file: `${STORM}Tstorm.cdf`, units: 'K' },
  pressure: { file: `${STORM}Pstorm.cdf`, units: 'Pa' },
  u: { file: `${STORM}Ustorm.cdf`, units: 'm/s' },
  v: { file: `${STORM}Vstorm.cdf`, units: 'm/s' },
};

export function writeScenario(dir: string, file: string, scenario: Record<string, unknown>): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

/**
 * A site grid over Ireland in UTM zone 29N: 5 km cells, flat at 50 m (the
 * station tests interpolate wind speed, which ignores the terrain). By
 * default it holds all 12 stations; `north` cuts it short.
 */
export async function irelandSite(dir: string, file = 'ireland.tif', north = 6150000): Promise<string> {
  const g = makeGeoref({ nx: 68, ny: Math.round((north - 5730000) / 5000), x0: 380000, y0: north, dx: 5000, dy: 5000, crs: 'EPSG:32629' });
  const path = join(dir, file);
  await writeGeoTiff(path, { georef: g, data: new Float32Array(g.nx * g.ny).fill(50), units: 'm' });
  return path;
}
