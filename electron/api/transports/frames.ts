/**
 * Answers that carry bytes (the map's points) cross the WebSocket as one binary frame rather than as JSON text,
 * where a Uint8Array would become an object with a key per byte. The frame is
 *
 *   uint32 (little-endian)  length of the header in bytes
 *   header                  the message as JSON (UTF-8), each Uint8Array in it written {"$bytes": [offset, length]}
 *   runs                    the bytes, at their offsets from here
 *
 * Messages without bytes stay JSON text, as before. No Node imports: the page decodes the frames.
 */

const BYTES = '$bytes';

/** The message as text, or as a binary frame when it holds any Uint8Array. */
export function encodeMessage(message: unknown): string | Uint8Array {
  const runs: Uint8Array[] = [];
  let length = 0;
  const header = JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    // `this[key]`, not `value`: a Node Buffer has already become `{type, data}` through its toJSON.
    const original = this[key];
    if (!(original instanceof Uint8Array)) return value;
    const offset = length;
    runs.push(original);
    length += original.byteLength;
    return { [BYTES]: [offset, original.byteLength] };
  });
  if (runs.length === 0) return header;
  const text = new TextEncoder().encode(header);
  const start = 4 + text.byteLength;
  const frame = new Uint8Array(start + length);
  new DataView(frame.buffer).setUint32(0, text.byteLength, true);
  frame.set(text, 4);
  let at = start;
  for (const run of runs) {
    frame.set(run, at);
    at += run.byteLength;
  }
  return frame;
}

const isRun = (value: unknown): value is { [BYTES]: [number, number] } => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const run = (value as Record<string, unknown>)[BYTES];
  return (
    keys.length === 1 &&
    Array.isArray(run) &&
    run.length === 2 &&
    run.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
  );
};

/** A binary frame back into its message; throws RangeError when the frame is malformed. */
export function decodeFrame(data: ArrayBuffer | ArrayBufferView): unknown {
  const frame =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (frame.byteLength < 4) throw new RangeError('a frame is at least 4 bytes');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new RangeError('the frame is shorter than its header');
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const start = 4 + headerLength;
  return JSON.parse(header, (_key, value: unknown) => {
    if (!isRun(value)) return value;
    const [offset, length] = value[BYTES];
    if (start + offset + length > frame.byteLength)
      throw new RangeError('a run lies past the end of the frame');
    // A copy: aligned for typed-array views, and not keeping the whole frame alive.
    return frame.slice(start + offset, start + offset + length);
  });
}
