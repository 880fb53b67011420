/**
 * Built-in sample sites: folders under assets/sites, each with a site.json
 * manifest (validated here, since it is a file) and its DEM.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../api/errors';
import type { SiteSummary } from '../api/types';
import { type Raster } from '../core/raster';
import { readGeoTiff } from '../io/geotiff';
import { readNpzDem } from '../io/npz-dem';

const siteManifest = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  description: z.string(),
  source: z.string().min(1),
  licence: z.string().min(1),
  dem: z.discriminatedUnion('format', [
    z.strictObject({ format: z.literal('geotiff'), file: z.string().min(1) }),
    z.strictObject({ format: z.literal('npz'), file: z.string().min(1), array: z.string().min(1) }),
  ]),
});
type SiteManifest = z.infer<typeof siteManifest>;

export class SiteRegistry {
  private manifests: Promise<Map<string, { dir: string; manifest: SiteManifest }>> | null = null;

  constructor(private readonly sitesDir: string) {}

  async list(): Promise<SiteSummary[]> {
    return [...(await this.load()).values()].map(({ manifest }) => summary(manifest));
  }

  async summary(id: string): Promise<SiteSummary> {
    return summary((await this.entry(id)).manifest);
  }

  async readDem(id: string): Promise<Raster> {
    const { dir, manifest } = await this.entry(id);
    const path = join(dir, manifest.dem.file);
    return manifest.dem.format === 'geotiff' ? readGeoTiff(path) : readNpzDem(path, manifest.dem.array);
  }

  private async entry(id: string) {
    const entry = (await this.load()).get(id);
    if (!entry) {
      const known = [...(await this.load()).keys()].join(', ');
      throw new TerraError('NOT_FOUND', `No sample site "${id}" (available: ${known})`, { field: 'id' });
    }
    return entry;
  }

  private load() {
    this.manifests ??= (async () => {
      const sites = new Map<string, { dir: string; manifest: SiteManifest }>();
      const dirs = await readdir(this.sitesDir, { withFileTypes: true });
      for (const d of dirs.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const dir = join(this.sitesDir, d.name);
        const file = join(dir, 'site.json');
        const parsed = siteManifest.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new TerraError('INVALID_DATA', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
            file,
            field: issue.path.join('.'),
          });
        }
        sites.set(parsed.data.id, { dir, manifest: parsed.data });
      }
      return sites;
    })();
    return this.manifests;
  }
}

function summary(m: SiteManifest): SiteSummary {
  return { id: m.id, name: m.name, description: m.description, source: m.source, licence: m.licence };
}
