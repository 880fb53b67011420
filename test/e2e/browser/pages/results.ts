/** What the test pages return to their tests (plain data: compiled for the page and for Node). */

/** One step of streamed-texture.ts's script, and what the texture on show held after it. */
export interface StreamStep {
  /** What was done: "set 3", "upload", "clear", "dispose". */
  action: string;
  /** upload()'s answer (a new frame came on show), for uploads. */
  changed?: boolean;
  pending: boolean;
  /** The frame the texture on show holds, by its fill value (NaN: a mix, or none of them). */
  shows: number;
  /** Most rows one texSubImage2D / texImage2D call uploaded during the step. */
  rows: number;
  /** The bands onRows was given during the step: "fill:from-to", in order. */
  bands: string[];
  /** renderer.info.memory.textures after it. */
  textures: number;
}

export interface StreamRun {
  steps: StreamStep[];
  bandRows: number;
  bandBytes: number;
}

/** coarse-water.ts: the canvas (PNG data URLs) with the water on and off, and each tile's stride. */
export interface CoarseWaterRun {
  wet: string;
  dry: string;
  strides: number[];
}
