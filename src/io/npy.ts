/** NumPy .npy parser (format versions 1-3, little/big endian, C or Fortran order). */
import { TerraError } from '../api/errors';

export interface NpyArray {
  shape: number[];
  /** Values as float64, C order, whatever the stored dtype. */
  data: Float64Array;
}

const MAGIC = '\x93NUMPY';

const READERS: Record<string, [number, (dv: DataView, at: number, little: boolean) => number]> = {
  f4: [4, (dv, at, le) => dv.getFloat32(at, le)],
  f8: [8, (dv, at, le) => dv.getFloat64(at, le)],
  i1: [1, (dv, at) => dv.getInt8(at)],
  u1: [1, (dv, at) => dv.getUint8(at)],
  i2: [2, (dv, at, le) => dv.getInt16(at, le)],
  u2: [2, (dv, at, le) => dv.getUint16(at, le)],
  i4: [4, (dv, at, le) => dv.getInt32(at, le)],
  u4: [4, (dv, at, le) => dv.getUint32(at, le)],
  i8: [8, (dv, at, le) => Number(dv.getBigInt64(at, le))],
  u8: [8, (dv, at, le) => Number(dv.getBigUint64(at, le))],
};

export function parseNpy(bytes: Uint8Array, file: string, maxElements: number): NpyArray {
  const bad = (problem: string, field = 'header') =>
    new TerraError('INVALID_DATA', `${file}: ${problem}`, { file, field });
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== MAGIC) throw bad('not a .npy array (bad magic bytes)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`unsupported .npy format version ${major}`);
  if (major > 1 && bytes.length < 12) throw bad('truncated header');
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw bad('truncated header');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([<>|=])([a-z]\d)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shapeText) throw bad('header lacks descr, fortran_order or shape');
  const reader = READERS[descr[2]!];
  if (!reader) throw bad(`unsupported dtype ${descr[1]}${descr[2]}`, 'descr');
  const shape = shapeText[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw bad(`bad shape (${shapeText[1]})`, 'shape');
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > maxElements) throw bad(`array of ${count} elements exceeds the limit of ${maxElements}`, 'shape');
  const [size, read] = reader;
  const dataStart = headerStart + headerLen;
  if (dataStart + count * size > bytes.length) throw bad('truncated data', 'data');
  const little = descr[1] !== '>';
  const data = new Float64Array(count);
  const fortran = order[1] === 'True' && shape.length === 2;
  const [rows = 1, cols = 1] = shape;
  for (let i = 0; i < count; i++) {
    // Fortran order stores columns first; return C order regardless.
    const src = fortran ? (i % cols) * rows + Math.floor(i / cols) : i;
    data[i] = read(dv, dataStart + src * size, little);
  }
  return { shape, data };
}
