/**
 * WebSocket framing. Messages without typed arrays travel as JSON text frames.
 * Messages with typed arrays (fields) travel as one binary frame:
 *
 *   [u32 LE header length][header JSON, UTF-8][pad to 8][u32 count][f64 offset x count][buffers, 8-aligned]
 *
 * where every typed array in the message is replaced in the header by
 * { $bin: index, type, length }. Decoding makes views on the frame, no copies.
 */

const TYPED = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

interface BinRef {
  $bin: number;
  type: TypedName;
  length: number;
}

const align8 = (n: number) => (n + 7) & ~7;

function typedName(view: ArrayBufferView): TypedName | null {
  const name = view.constructor.name;
  return name in TYPED ? (name as TypedName) : null;
}

export function encodeFrame(message: unknown): string | Uint8Array {
  const views: Typed[] = [];
  const refs: BinRef[] = [];
  const header = JSON.stringify(message, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) {
      const type = typedName(value);
      if (!type) throw new TypeError(`cannot encode ${value.constructor.name}`);
      const ref: BinRef = { $bin: views.length, type, length: (value as Typed).length };
      views.push(value as Typed);
      refs.push(ref);
      return ref;
    }
    return value;
  });
  if (views.length === 0) return header;

  const headerBytes = new TextEncoder().encode(header);
  const tableAt = align8(4 + headerBytes.length);
  let cursor = align8(tableAt + 4 + 8 * views.length);
  const offsets = views.map((v) => {
    const at = cursor;
    cursor = align8(cursor + v.byteLength);
    return at;
  });
  const frame = new Uint8Array(cursor);
  const dv = new DataView(frame.buffer);
  dv.setUint32(0, headerBytes.length, true);
  frame.set(headerBytes, 4);
  dv.setUint32(tableAt, views.length, true);
  views.forEach((v, i) => {
    dv.setFloat64(tableAt + 4 + i * 8, offsets[i]!, true);
    frame.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offsets[i]!);
  });
  return frame;
}

export function decodeFrame(data: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < 4) throw new RangeError('binary frame shorter than its header length');
  // Views need 8-byte alignment; copy once if the transport handed us an odd slice.
  const frame = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = dv.getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new RangeError('binary frame header overruns the frame');
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const tableAt = align8(4 + headerLength);
  const count = tableAt + 4 <= frame.byteLength ? dv.getUint32(tableAt, true) : 0;
  if (tableAt + 4 + count * 8 > frame.byteLength) throw new RangeError('binary frame table overruns the frame');
  const offsets = Array.from({ length: count }, (_, i) => dv.getFloat64(tableAt + 4 + i * 8, true));
  return JSON.parse(header, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$bin' in value) {
      const ref = value as BinRef;
      const Ctor = TYPED[ref.type];
      const at = offsets[ref.$bin];
      if (!Ctor || at === undefined || !Number.isInteger(ref.length) || ref.length < 0) {
        throw new RangeError('binary frame has a bad buffer reference');
      }
      const end = at + ref.length * Ctor.BYTES_PER_ELEMENT;
      if (end > frame.byteLength) throw new RangeError('binary frame buffer overruns the frame');
      return new Ctor(frame.buffer as ArrayBuffer, frame.byteOffset + at, ref.length);
    }
    return value;
  });
}

/** Byte size of a frame as it will go on the wire. */
export function frameBytes(frame: string | Uint8Array): number {
  return typeof frame === 'string' ? new TextEncoder().encode(frame).byteLength : frame.byteLength;
}
