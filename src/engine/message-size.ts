/**
 * Size of a structured-clone message, measured without serialising it, with a
 * depth cap so a deeply nested payload cannot blow the stack.
 */
const MAX_DEPTH = 64;

export function messageBytes(value: unknown, limit: number): number {
  let total = 0;
  const walk = (v: unknown, depth: number): void => {
    if (total > limit) return;
    if (depth > MAX_DEPTH) {
      total = Infinity;
      return;
    }
    if (typeof v === 'string') total += v.length * 2;
    else if (ArrayBuffer.isView(v)) total += v.byteLength;
    else if (v instanceof ArrayBuffer) total += v.byteLength;
    else if (Array.isArray(v)) for (const item of v) walk(item, depth + 1);
    else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        total += key.length * 2;
        walk(item, depth + 1);
      }
    } else total += 8;
  };
  walk(value, 0);
  return total;
}
