/**
 * In-page half of streamed-texture.e2e.test.ts: drives StreamedCellTexture
 * on a real WebGL2 renderer and reads back what its texture holds (the
 * texture attached to a framebuffer, read as floats), frame by frame.
 */
import { WebGLRenderer } from 'three';
import { BAND_BYTES, StreamedCellTexture } from '../../../../renderer/src/scene/StreamedCellTexture';
import type { StreamRun, StreamStep } from './results';

function run(nx: number, ny: number, script: string[]): StreamRun {
  const canvas = document.createElement('canvas');
  document.body.appendChild(canvas);
  const renderer = new WebGLRenderer({ canvas });
  const gl = renderer.getContext() as WebGL2RenderingContext;
  if (!gl.getExtension('EXT_color_buffer_float')) throw new Error('no EXT_color_buffer_float: cannot read a float texture back');
  let rows = 0;
  for (const name of ['texSubImage2D', 'texImage2D'] as const) {
    const original = gl[name] as (...args: unknown[]) => void;
    (gl as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      // (target, level, x, y, width, height, ...) or (target, level, internalformat, width, height, ...)
      const height = name === 'texSubImage2D' ? args[5] : args[4];
      if (typeof height === 'number') rows = Math.max(rows, height);
      original.apply(gl, args);
    };
  }
  let bands: string[] = [];
  const texture = new StreamedCellTexture(nx, ny, (values, from, to) => bands.push(`${values[from * nx]}:${from}-${to}`));
  const framebuffer = gl.createFramebuffer();
  const pixels = new Float32Array(4 * nx * ny);
  /** The fill value of the frame the texture on show holds, or NaN. */
  const shows = (): number => {
    const handle = (renderer.properties.get(texture.texture) as { __webglTexture?: WebGLTexture }).__webglTexture;
    if (!handle) return NaN;
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, handle, 0);
    gl.readPixels(0, 0, nx, ny, gl.RGBA, gl.FLOAT, pixels);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    renderer.resetState();
    const first = pixels[0]!;
    for (let k = 0; k < pixels.length; k += 4) if (pixels[k] !== first) return NaN;
    return first;
  };
  const steps: StreamStep[] = [];
  for (const action of script) {
    rows = 0;
    bands = [];
    let changed: boolean | undefined;
    if (action.startsWith('set ')) texture.set(new Float32Array(nx * ny).fill(Number(action.slice(4))));
    else if (action === 'clear') texture.clear();
    else if (action === 'upload') {
      changed = texture.upload(renderer);
      // A texture flagged for a whole upload goes up when drawn: as a frame would.
      renderer.initTexture(texture.texture);
    }
    steps.push({ action, changed, pending: texture.pending, shows: shows(), rows, bands, textures: renderer.info.memory.textures });
  }
  texture.dispose();
  const textures = renderer.info.memory.textures;
  renderer.dispose();
  canvas.remove();
  steps.push({ action: 'dispose', pending: false, shows: NaN, rows: 0, bands: [], textures });
  return { steps, bandRows: texture.bandRows, bandBytes: BAND_BYTES };
}

declare global {
  interface Window {
    streamedTexture?: typeof run;
  }
}
window.streamedTexture = run;
