/** The engine's handler table: one line of wiring per API method. */
import { arch, platform } from 'node:process';
import { basename, join } from 'node:path';
import { TerraError } from '../api/errors';
import type { SiteData } from '../api/types';
import { computeInfo } from '../compute/compute-info';
import { rasterStats } from '../core/raster';
import { readDem } from '../io/read-dem';
import { SiteRegistry } from '../sites/registry';
import type { HandlerTable } from './engine';

export interface EngineConfig {
  /** Folder holding sites/ and LICENSES.md. */
  assetsDir: string;
  version: string;
}

export function createHandlers(config: EngineConfig): HandlerTable {
  const sites = new SiteRegistry(join(config.assetsDir, 'sites'));
  const compute = computeInfo();
  return {
    'engine.info': async () => ({
      version: config.version,
      pid: process.pid,
      node: process.versions.node,
      platform,
      arch,
      compute: await compute,
    }),
    'site.list': () => sites.list(),
    'site.open': async ({ id }, ctx) => {
      ctx.progress(0, `Reading ${id} terrain`);
      const [site, dem] = await Promise.all([sites.summary(id), sites.readDem(id)]);
      ctx.throwIfCancelled();
      ctx.progress(0.8, 'Checking elevations');
      const stats = rasterStats(dem.data);
      ctx.progress(1, 'Terrain ready');
      const result: SiteData = { site, georef: dem.georef, units: 'm', stats, elevation: dem.data };
      return result;
    },
    'terrain.open': async ({ path, array }, ctx) => {
      ctx.progress(null, `Reading ${basename(path)}`);
      const dem = await readDem(path, array);
      ctx.throwIfCancelled();
      const stats = rasterStats(dem.data);
      if (stats.nodataFraction === 1) {
        throw new TerraError('INVALID_DATA', `${basename(path)}: every cell is nodata`, { file: path, field: 'data' });
      }
      ctx.progress(1, 'Terrain ready');
      const site = {
        id: 'file',
        name: basename(path),
        description: `${dem.georef.nx} x ${dem.georef.ny} cells, ${dem.georef.crs}`,
        source: path,
        licence: 'as supplied by the user',
      };
      const result: SiteData = { site, georef: dem.georef, units: 'm', stats, elevation: dem.data };
      return result;
    },
  };
}
