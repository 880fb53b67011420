/** Parameter schemas that several API methods share. */
import { z } from 'zod';

/** Absolute paths: POSIX (/home/...), a Windows drive (C:\... or C:/...) or UNC (\\server\...). */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(ABSOLUTE_PATH, "an absolute path on the engine's machine (e.g. /home/me/dem.tif)");

export const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a sample-site id such as "jacksboro"');
