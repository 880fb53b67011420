/**
 * Built-in weather samples: folders under assets/weather, each with a
 * weather.json manifest (validated here, since it is a file) naming its
 * gridded files, their units and the times they span. The explorer loads one
 * over the open sample site (`weather.run`); the grid must cover the site.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../api/errors';
import type { WeatherSampleSummary } from '../api/types';

const file = z.strictObject({ file: z.string().min(1), units: z.string().min(1) });

const weatherManifest = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  description: z.string(),
  source: z.string().min(1),
  licence: z.string().min(1),
  /** Elevation (m) the temperature and pressure hold at (0: sea level). */
  reference_elevation_m: z.number(),
  /** Longest run of lost frames filled in time (s); see the scenario's source.fill_gaps_s. */
  fill_gaps_s: z.number().positive().optional(),
  times: z.strictObject({ start: z.string().min(1), end: z.string().min(1), interval_s: z.number().positive() }),
  variables: z.strictObject({ temperature: file.optional(), pressure: file.optional(), u: file.optional(), v: file.optional() }),
});
export type WeatherManifest = z.infer<typeof weatherManifest>;

/** A sample: its folder (the files' base) and manifest. */
export interface WeatherSample {
  dir: string;
  manifest: WeatherManifest;
}

export const DEFAULT_WEATHER_SAMPLE = 'storm-jan1996';

export class WeatherSampleRegistry {
  private samples: Promise<Map<string, WeatherSample>> | null = null;

  constructor(private readonly weatherDir: string) {}

  async list(): Promise<WeatherSampleSummary[]> {
    return [...(await this.load()).values()].map(({ manifest }) => summary(manifest));
  }

  async get(id: string): Promise<WeatherSample> {
    const samples = await this.load();
    const sample = samples.get(id);
    if (!sample) {
      throw new TerraError('NOT_FOUND', `No weather sample "${id}" (available: ${[...samples.keys()].join(', ') || 'none'})`, { field: 'sample' });
    }
    return sample;
  }

  private load(): Promise<Map<string, WeatherSample>> {
    this.samples ??= (async () => {
      const samples = new Map<string, WeatherSample>();
      const dirs = await readdir(this.weatherDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      });
      for (const d of dirs.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const dir = join(this.weatherDir, d.name);
        const path = join(dir, 'weather.json');
        const parsed = weatherManifest.safeParse(JSON.parse(await readFile(path, 'utf8')));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new TerraError('INVALID_DATA', `${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { file: path, field: issue.path.join('.') });
        }
        samples.set(parsed.data.id, { dir, manifest: parsed.data });
      }
      return samples;
    })();
    return this.samples;
  }
}

function summary(m: WeatherManifest): WeatherSampleSummary {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    source: m.source,
    licence: m.licence,
    start: m.times.start,
    end: m.times.end,
    interval_s: m.times.interval_s,
    variables: Object.keys(m.variables),
  };
}
