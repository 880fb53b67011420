/**
 * GPU time of each drawn frame, from WebGL2's EXT_disjoint_timer_query_webgl2
 * (Chromium exposes it on real GPUs; SwiftShader and some drivers do not, and
 * then nothing is measured). A query spans one renderer.render() call; results
 * are read back frames later, as they come, so timing never stalls the GPU.
 */
export class GpuFrameTimer {
  readonly samples: number[] = [];
  private readonly ext: { TIME_ELAPSED_EXT: number; GPU_DISJOINT_EXT: number } | null;
  private readonly waiting: WebGLQuery[] = [];
  private active: WebGLQuery | null = null;

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.ext = gl.getExtension('EXT_disjoint_timer_query_webgl2') as GpuFrameTimer['ext'];
  }

  get available(): boolean {
    return this.ext !== null;
  }

  begin(): void {
    if (!this.ext || this.active) return;
    this.active = this.gl.createQuery();
    this.gl.beginQuery(this.ext.TIME_ELAPSED_EXT, this.active);
  }

  end(): void {
    if (!this.ext || !this.active) return;
    this.gl.endQuery(this.ext.TIME_ELAPSED_EXT);
    this.waiting.push(this.active);
    this.active = null;
    this.collect();
  }

  /** Reads the finished queries, oldest first; a disjoint event (clock change) voids those in flight. */
  private collect(): void {
    const { gl, ext } = this;
    if (!ext) return;
    const disjoint = gl.getParameter(ext.GPU_DISJOINT_EXT) as boolean;
    while (this.waiting.length > 0) {
      const query = this.waiting[0]!;
      if (!disjoint && !(gl.getQueryParameter(query, gl.QUERY_RESULT_AVAILABLE) as boolean)) break;
      if (!disjoint) this.samples.push((gl.getQueryParameter(query, gl.QUERY_RESULT) as number) / 1e6);
      gl.deleteQuery(query);
      this.waiting.shift();
    }
  }

  dispose(): void {
    for (const query of this.waiting) this.gl.deleteQuery(query);
    this.waiting.length = 0;
  }
}
