/**
 * The API contract: every method the engine serves, its parameter schema
 * (validated at the engine boundary) and its result type. Adding a method
 * means adding it here, in ApiResults, and in the engine's handler table;
 * the compiler checks that the three agree.
 */
import { z } from 'zod';
import type { EngineInfo, FloodRunSummary, SiteData, SiteSummary } from './types';

const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a sample-site id such as "jacksboro"');

export const methods = {
  'engine.info': z.strictObject({}),
  'site.list': z.strictObject({}),
  /** A job: streams progress while the DEM is read and checked. */
  'site.open': z.strictObject({ id: siteId }),
  /** A job: reads a DEM file (GeoTIFF or .npz) from an absolute local path. */
  'terrain.open': z.strictObject({
    path: z.string().min(1).max(4096),
    /** For .npz files: the array holding elevations. */
    array: z.string().min(1).max(128).optional(),
  }),
  /**
   * A job: runs a flood scenario file (DESIGN.md contract) into outDir,
   * streaming depth/u/v frames at the output interval; cancel keeps valid
   * partial outputs.
   */
  'flood.simulate': z.strictObject({
    scenario: z.string().min(1).max(4096),
    outDir: z.string().min(1).max(4096),
    /** Stream frames to the caller (default true). */
    frames: z.boolean().optional(),
  }),
} as const;

export type Method = keyof typeof methods;
export type Params<M extends Method> = z.infer<(typeof methods)[M]>;

export interface ApiResults {
  'engine.info': EngineInfo;
  'site.list': SiteSummary[];
  'site.open': SiteData;
  'terrain.open': SiteData;
  'flood.simulate': FloodRunSummary;
}

export type Result<M extends Method> = ApiResults[M];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
