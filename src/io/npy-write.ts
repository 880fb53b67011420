/**
 * NumPy .npy writer (format 1.0, little-endian float32, C order): the
 * learning datasets' shard format, readable by numpy.load and by npy.ts. The bytes
 * are copied as they are: every platform Node runs on is little-endian.
 */
export function encodeNpyFloat32(data: Float32Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // The data must start at a multiple of 64 bytes; the header ends with a newline.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, 10 + header.length);
  return out;
}
