/**
 * The File > Sample Sites submenu entries: id and name from each
 * assets/sites/<folder>/site.json. Only labels are read here; the engine
 * validates and loads the sites. A bad manifest is skipped with a warning.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SampleSite {
  id: string;
  name: string;
}

const SITE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function listSampleSites(assetsDir: string, warn: (message: string) => void = console.warn): SampleSite[] {
  const sitesDir = join(assetsDir, 'sites');
  let folders: string[];
  try {
    folders = readdirSync(sitesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort((a, b) => a.localeCompare(b));
  } catch (err) {
    warn(`[terra] no sample sites: cannot read ${sitesDir}: ${(err as Error).message}`);
    return [];
  }
  const sites: SampleSite[] = [];
  for (const folder of folders) {
    const file = join(sitesDir, folder, 'site.json');
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown; name?: unknown };
      if (typeof manifest.id !== 'string' || !SITE_ID.test(manifest.id)) throw new Error('no valid "id"');
      const name = typeof manifest.name === 'string' && manifest.name.trim() ? manifest.name.trim() : manifest.id;
      sites.push({ id: manifest.id, name });
    } catch (err) {
      warn(`[terra] skipping sample site ${file}: ${(err as Error).message}`);
    }
  }
  return sites;
}
