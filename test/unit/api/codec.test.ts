import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src/api/codec';

describe('WebSocket frame codec', () => {
  it('sends plain messages as JSON text', () => {
    const frame = encodeFrame({ t: 'call', id: 3, method: 'engine.info', params: {} });
    expect(typeof frame).toBe('string');
    expect(decodeFrame(frame)).toEqual({ t: 'call', id: 3, method: 'engine.info', params: {} });
  });

  it('round-trips several typed arrays, including unaligned sub-views, bit for bit', () => {
    const backing = new Float32Array([9, 1.5, -2.25, NaN, 7]);
    const message = {
      t: 'result',
      id: 1,
      ok: true,
      value: {
        elevation: backing.subarray(1, 4),
        mask: new Uint8Array([1, 0, 1]),
        series: [new Float64Array([Math.PI]), new Int16Array([-32768, 32767])],
      },
    };
    const frame = encodeFrame(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    // Decode from an odd offset to prove the decoder realigns.
    const shifted = new Uint8Array((frame as Uint8Array).length + 1);
    shifted.set(frame as Uint8Array, 1);
    const back = decodeFrame(shifted.subarray(1)) as typeof message;
    expect(back.value.elevation).toBeInstanceOf(Float32Array);
    expect(Array.from(back.value.elevation)).toEqual([1.5, -2.25, NaN]);
    expect(Array.from(back.value.mask)).toEqual([1, 0, 1]);
    expect(back.value.series[0]![0]).toBe(Math.PI);
    expect(Array.from(back.value.series[1]!)).toEqual([-32768, 32767]);
  });

  it('rejects truncated and inconsistent binary frames with RangeError', () => {
    const frame = encodeFrame({ a: new Float32Array(16) }) as Uint8Array;
    expect(() => decodeFrame(frame.subarray(0, 2))).toThrow(RangeError);
    expect(() => decodeFrame(frame.subarray(0, frame.length - 8))).toThrow(RangeError);
    const lying = frame.slice();
    new DataView(lying.buffer).setUint32(0, 1e6, true);
    expect(() => decodeFrame(lying)).toThrow(RangeError);
  });
});
