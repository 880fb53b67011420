/** What the learning methods (learn.*) return: datasets and surrogate models in a project folder. */

/** A flood-surrogate dataset under PROJECT/learn/datasets/NAME. */
export interface DatasetSummary {
  name: string;
  path: string;
  /** Sample site the DEM came from ("jacksboro"), or null for a DEM file. */
  site: string | null;
  /** Complete: the manifest is written; partial: some scenarios are simulated, build again to resume. */
  status: 'complete' | 'partial';
  scenarios: number;
  /** Scenarios already simulated (all of them when complete). */
  simulated: number;
  intensity_mm_h: [number, number];
  duration_min: [number, number];
  /** Grid window of the site the dataset covers (the whole grid when not cropped). */
  window: GridWindow | null;
  created: string | null;
}

/** Columns and rows of a window of a site's grid, from its north-west corner. */
export interface GridWindow {
  col: number;
  row: number;
  cols: number;
  rows: number;
}

/** One epoch of training, as the trainer records it. */
export interface EpochPoint {
  epoch: number;
  loss: number;
  val_loss: number;
  learning_rate: number;
  samples_per_s: number;
  seconds: number;
}

/**
 * Scores of a max-depth field against the solver's (CSI/POD/FAR at the wet
 * threshold; RMSE on wet cells); null where undefined (no wet cell: 0/0).
 */
export interface FieldScores {
  csi: number | null;
  pod: number | null;
  far: number | null;
  rmse_wet_m: number | null;
  wet_cells: number | null;
  rmse_m: number | null;
  nse: number | null;
  pearson: number | null;
}

/** A surrogate model under PROJECT/learn/models/NAME. */
export interface ModelSummary {
  name: string;
  path: string;
  kind: 'mlp' | 'unet';
  /** Dataset it was (or is being) trained on, by name. */
  dataset: string | null;
  site: string | null;
  /** Complete: saved and ready to predict; partial: a checkpoint to resume from. */
  status: 'complete' | 'partial';
  epochs_done: number;
  epochs: number;
  best_epoch: number;
  history: EpochPoint[];
  /** Scores of the saved model on the validation storms (complete models). */
  validation: FieldScores | null;
  trained_on: { intensity_mm_h: [number, number]; duration_min: [number, number] } | null;
  window: GridWindow | null;
  backend: string | null;
}

/** What learn.list returns. */
export interface LearnInventory {
  projectDir: string;
  datasets: DatasetSummary[];
  models: ModelSummary[];
  /** Folders that are neither, or unreadable, with the reason (shown, never deleted). */
  problems: { path: string; problem: string }[];
}

/** Streamed by learn.train: a batch's loss, or a finished epoch. */
export type TrainingPoint =
  | { kind: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samples_per_s: number }
  | { kind: 'epoch'; epochs: number; improved: boolean; record: EpochPoint };

export interface TrainResultSummary {
  status: 'completed' | 'early-stopped' | 'cancelled';
  model: ModelSummary;
  backend: string;
}

export interface ForcingConfidence {
  level: 'high' | 'low';
  message: string;
}

/** What learn.predict returns: the model's max depth on the open site's grid. */
export interface PredictionResult {
  model: string;
  intensity_mm_h: number;
  duration_min: number;
  /** Max depth (m), row-major, row 0 north, on the site grid; 0 outside the model's window. */
  depth: Float32Array;
  window: GridWindow;
  predict_ms: number;
  max_depth_m: number;
  wet_cells: number;
  confidence: ForcingConfidence;
}

/** What learn.verify returns: the solver's max depth for the same storm, and the model scored against it. */
export interface VerificationResult extends PredictionResult {
  physics_depth: Float32Array;
  threshold_m: number;
  scores: FieldScores;
  solver_wall_s: number;
  /** Solver wall time over the prediction time. */
  speedup: number;
}
