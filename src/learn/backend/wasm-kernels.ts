/**
 * Kernels the networks need from the wasm backend, made fast. Its forward
 * Conv2D and untransposed matrix products are fast (XNNPACK, several
 * GFLOP/s), but it has no Conv2DBackpropFilter at all, its
 * Conv2DBackpropInput is a plain loop ~20x slower than the forward pass, a
 * product with a transposed operand (what every dense layer's gradient asks
 * for) is ~8x slower than transposing first, and concatenating channels (the
 * U-Net's skips) copies a few values at a time (~40% of a U-Net forward
 * pass). These are rebuilt from its fast kernels, for what the networks use
 * (NHWC, stride 1, no dilation, odd kernels, 'same' or 'valid' padding):
 *
 *   input gradient   dx = conv2d(dy, filter turned 180 degrees, in/out swapped), 'same'
 *   filter gradient  dW[i, j] = window (i, j) of x, channels first, times dy (one product per tap)
 *   A^T B, A B^T     transpose the operand, then the plain product
 *   concat, last axis  one pass over the output, float32
 *
 * Other convolutions keep wasm's own input gradient and refuse the filter
 * gradient (the job then moves to another backend, see select.ts).
 */
import type * as Tf from '@tensorflow/tfjs';

type Info = Tf.TensorInfo;
type Attrs = {
  strides: number | [number, number];
  pad: unknown;
  dataFormat: string;
  dilations?: number | [number, number];
};

const FILTER = 'Conv2DBackpropFilter';
const INPUT = 'Conv2DBackpropInput';
const MATMUL = 'BatchMatMul';
const CONCAT = 'Concat';

/** What these kernels use of the wasm backend object (public methods of its class). */
interface WasmBackend {
  disposeData(dataId: object): void;
  makeOutput(shape: number[], dtype: Tf.DataType): Info;
  typedArrayFromHeap(info: Info): Float32Array;
}

/** Registers the four kernels once per process (after the wasm backend is set up); true when they are in place. */
export function registerWasmTrainingKernels(tf: typeof Tf): boolean {
  const wasm = (name: string) => tf.getKernel(name, 'wasm');
  // Our configs carry a marker, so a second call (another activation of wasm) changes nothing.
  if ((wasm(FILTER) as { fast?: boolean } | undefined)?.fast) return true;
  const needed = ['Conv2D', 'PadV2', 'Slice', 'BatchMatMul', 'Concat', 'Reverse', 'Transpose'];
  if (needed.some((k) => !wasm(k))) return false;
  const originalInput = wasm(INPUT)!;
  const originalMatMul = wasm(MATMUL)!;
  const originalConcat = wasm(CONCAT)!;

  const call = (backend: object, name: string, inputs: Record<string, Info> | Info[], attrs: object = {}) =>
    wasm(name)!.kernelFunc({ inputs: inputs as unknown as Tf.NamedTensorInfoMap, backend, attrs: attrs as Tf.NamedAttrMap }) as Info;
  const free = (backend: object, ...infos: Info[]) => infos.forEach((i) => (backend as WasmBackend).disposeData(i.dataId));
  /** Only stride 1, dilation 1, odd kernels, 'same'/'valid': the cases the rewrites are exact for. */
  const simple = (attrs: Attrs, fh: number, fw: number) => {
    const ones = (v: number | [number, number] | undefined) => v === undefined || (typeof v === 'number' ? v === 1 : v[0] === 1 && v[1] === 1);
    return attrs.dataFormat === 'NHWC' && ones(attrs.strides) && ones(attrs.dilations) && fh % 2 === 1 && fw % 2 === 1 && (attrs.pad === 'same' || attrs.pad === 'valid');
  };

  const filterGrad: Tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    const a = attrs as unknown as Attrs & { filterShape: [number, number, number, number] };
    const [fh, fw, c, co] = a.filterShape;
    if (!simple(a, fh, fw)) throw new Error(`${FILTER} (wasm): only NHWC, stride 1, odd kernels and 'same'/'valid' padding are supported`);
    const [b] = x.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const [ph, pw] = a.pad === 'same' ? [(fh - 1) / 2, (fw - 1) / 2] : [0, 0];
    const padded = ph || pw ? call(backend, 'PadV2', { x }, { paddings: [[0, 0], [ph, ph], [pw, pw], [0, 0]], constantValue: 0 }) : x;
    // Channels first, so each tap's window is a [c, cells] matrix: wasm multiplies those fast, transposed operands slowly.
    const channelsFirst = call(backend, 'Transpose', { x: padded }, { perm: [3, 0, 1, 2] });
    if (padded !== x) free(backend, padded);
    const dy3 = { ...dy, shape: [1, b * oh * ow, co] };
    const taps: Info[] = [];
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const window = call(backend, 'Slice', { x: channelsFirst }, { begin: [0, 0, i, j], size: [c, b, oh, ow] });
        taps.push(call(backend, 'BatchMatMul', { a: { ...window, shape: [1, c, b * oh * ow] }, b: dy3 }, { transposeA: false, transposeB: false }));
        free(backend, window);
      }
    }
    free(backend, channelsFirst);
    const stacked = taps.length > 1 ? call(backend, 'Concat', taps, { axis: 0 }) : taps[0]!;
    if (taps.length > 1) free(backend, ...taps);
    return { dataId: stacked.dataId, shape: a.filterShape, dtype: stacked.dtype };
  };

  const inputGrad: Tf.KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const a = args.attrs as unknown as Attrs;
    const [fh, fw] = filter.shape as [number, number, number, number];
    if (!simple(a, fh, fw) || a.pad !== 'same') return originalInput.kernelFunc(args);
    const turned = call(args.backend, 'Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = call(args.backend, 'Transpose', { x: turned }, { perm: [0, 1, 3, 2] });
    const dx = call(args.backend, 'Conv2D', { x: dy, filter: swapped }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 });
    free(args.backend, turned, swapped);
    return dx;
  };

  const matMul: Tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return originalMatMul.kernelFunc(args);
    const swapLast = (t: Info) => {
      const r = t.shape.length;
      return call(args.backend, 'Transpose', { x: t }, { perm: [...Array(r - 2).keys(), r - 1, r - 2] });
    };
    const [ta, tb] = [transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b];
    const out = originalMatMul.kernelFunc({ ...args, inputs: { a: ta, b: tb }, attrs: { transposeA: false, transposeB: false } }) as Info;
    free(args.backend, ...[ta, tb].filter((t) => t !== a && t !== b));
    return out;
  };

  const concat: Tf.KernelFunc = (args) => {
    const parts = (args.inputs as unknown as Info[]).filter((t) => t.shape.every((d) => d > 0));
    const rank = parts[0]?.shape.length ?? 0;
    const axis = (args.attrs as { axis: number | number[] }).axis;
    const last = (Array.isArray(axis) ? axis[0] : axis) ?? 0;
    if (parts.length < 2 || rank < 2 || (last !== rank - 1 && last !== -1) || parts.some((t) => t.dtype !== 'float32')) return originalConcat.kernelFunc(args);
    const backend = args.backend as WasmBackend;
    const widths = parts.map((t) => t.shape[rank - 1]!);
    const total = widths.reduce((a, b) => a + b, 0);
    const out = backend.makeOutput([...parts[0]!.shape.slice(0, -1), total], 'float32');
    const o = backend.typedArrayFromHeap(out);
    const rows = o.length / total;
    let offset = 0;
    parts.forEach((t, i) => {
      const v = backend.typedArrayFromHeap(t);
      const w = widths[i]!;
      for (let r = 0; r < rows; r++) {
        const [src, dst] = [r * w, r * total + offset];
        for (let c = 0; c < w; c++) o[dst + c] = v[src + c]!;
      }
      offset += w;
    });
    return out;
  };

  for (const [name, kernelFunc] of [
    [FILTER, filterGrad],
    [INPUT, inputGrad],
    [MATMUL, matMul],
    [CONCAT, concat],
  ] as const) {
    if (wasm(name)) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, fast: true } as Tf.KernelConfig);
  }
  return true;
}
