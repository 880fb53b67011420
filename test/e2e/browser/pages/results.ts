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

/** A line of DEM vertices along a tile, projected to the canvas. */
export interface ScreenLine {
  /** The tile's stride (an edge: the finer of the two tiles'). */
  stride: number;
  /** x, y (CSS px from the top-left) of each vertex along it. */
  points: number[];
}

/** seams.ts: the canvas (PNG data URL) at the home view, each tile's stride, and lines of vertices on screen. */
export interface SeamsRun {
  image: string;
  strides: number[];
  /** The tiles' shared edges (the seams), and lines through the middle of the tiles (none there), for comparison. */
  edges: ScreenLine[];
  middles: ScreenLine[];
}
