/**
 * The learning methods of the API (see methods.ts): flood-surrogate datasets
 * and models kept in a project folder (PROJECT/learn/datasets/NAME and
 * PROJECT/learn/models/NAME), built, trained, used and checked against the
 * solver from the explorer.
 */
import { z } from 'zod';
import { absolutePath, siteId } from './params';

/** A dataset or model folder name: letters, digits, - and _. */
const itemName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '1 to 64 letters, digits, - or _ (starting with a letter or digit)');
const range = (max: number, what: string) =>
  z
    .tuple([z.number().positive().max(max, `at most ${max} ${what}`), z.number().positive().max(max, `at most ${max} ${what}`)])
    .refine(([lo, hi]) => lo <= hi, 'the minimum must not exceed the maximum');

const scenario = {
  projectDir: absolutePath,
  model: itemName,
  /** The open site: the prediction is placed on its grid. */
  site: siteId,
  intensity_mm_h: z.number().positive().max(1000, 'at most 1000 mm/h'),
  duration_min: z.number().positive().max(7 * 24 * 60, 'at most a week'),
};

export const learnMethods = {
  /** The datasets and models in a project folder. */
  'learn.list': z.strictObject({ projectDir: absolutePath }),
  /**
   * A job: simulates a family of rain storms on a sample site and writes a
   * training dataset. Finished storms are kept when cancelled, and the same
   * call resumes.
   */
  'learn.dataset': z.strictObject({
    projectDir: absolutePath,
    name: itemName,
    site: siteId,
    scenarios: z.number().int().min(6, 'at least 6 (training, validation and test storms)').max(500),
    intensity_mm_h: range(1000, 'mm/h'),
    duration_min: range(7 * 24 * 60, 'min'),
    /** Simulated minutes after the rain stops (default 15). */
    tail_min: z.number().min(0).max(24 * 60).optional(),
    manning: z.number().gt(0).lt(1).optional(),
    seed: z.number().int().min(0).max(2 ** 31).optional(),
    /** A window of the site's grid (default the whole grid). */
    crop: z
      .strictObject({ row: z.number().int().min(0), col: z.number().int().min(0), rows: z.number().int().min(8), cols: z.number().int().min(8) })
      .optional(),
  }),
  /**
   * A job: trains a surrogate on a dataset of the project, streaming each
   * batch's loss and each epoch's record. Cancel keeps the last finished
   * epoch's checkpoint; `resume` continues it with the settings it started with.
   */
  'learn.train': z.strictObject({
    projectDir: absolutePath,
    name: itemName,
    dataset: itemName.optional(),
    kind: z.enum(['mlp', 'unet']).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    batches_per_epoch: z.number().int().min(1).max(10_000).optional(),
    batch_size: z.number().int().min(1).max(256).optional(),
    learning_rate: z.number().gt(0).max(1).optional(),
    seed: z.number().int().min(0).max(2 ** 31).optional(),
    resume: z.boolean().optional(),
  }),
  /** A job: a model's max depth for one block-rain storm, on the open site's grid, with its confidence. */
  'learn.predict': z.strictObject(scenario),
  /** A job: learn.predict, then the solver on the same storm as the training storms were run, and the scores. */
  'learn.verify': z.strictObject(scenario),
} as const;
