/**
 * A child process that runs one onnxruntime session. onnxruntime-node's `run` holds its thread for the whole
 * forward pass, and native code can crash: here it holds and risks this process, while the engine keeps decoding
 * images and answering the app, and restarts this process if it dies.
 */
import { ClipSortError, errorMessage } from '../errors.js';
import { writePixels } from '../imaging/preprocess.js';
import { openSession, Tensor } from './onnxRuntime.js';
import { SpareBuffers } from './spareBuffers.js';
import type { SessionReply, SessionRequest, WireError, WirePixels, WireTensor } from './sessionProtocol.js';

let session: Awaited<ReturnType<typeof openSession>> | undefined;

const wireError = (error: unknown): WireError =>
  error instanceof ClipSortError
    ? { code: error.code, message: error.message }
    : { message: errorMessage(error) };

/** The float inputs of earlier batches, written over by the next ones. */
const inputs = new SpareBuffers<Float32Array>(Float32Array);

/**
 * RGB crops → the float CHW tensor the vision model takes (its buffer added to `taken`), or the 8-bit HWC one a
 * normalising graph takes.
 */
function pixelTensor({ data, dims, spec, asUint8 }: WirePixels, taken: Float32Array[]): Tensor {
  if (asUint8) return new Tensor('uint8', data, dims);
  const [count, height, width] = dims;
  const out = inputs.take(count * 3 * height * width);
  taken.push(out);
  const size = height * width * 3;
  for (let i = 0; i < count; i++) {
    writePixels({ data: data.subarray(i * size, (i + 1) * size), width, height, channels: 3 }, spec, out, i);
  }
  return new Tensor('float32', out, [count, 3, height, width]);
}

async function handle(request: SessionRequest): Promise<SessionReply> {
  if (request.type === 'open') {
    session = await openSession(request.file, request.options);
    const inputTypes = Object.fromEntries(
      session.inputMetadata.map((input) => [input.name, input.isTensor ? input.type : 'other']),
    );
    return {
      ok: true,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      inputTypes,
    };
  }
  if (!session) throw new Error('no session is open');
  const taken: Float32Array[] = [];
  const feeds = Object.fromEntries(
    Object.entries(request.feeds).map(([name, t]) => [
      name,
      t.type === 'rgb8' ? pixelTensor(t, taken) : new Tensor(t.type, t.data, t.dims),
    ]),
  );
  let result;
  try {
    result = await session.run(feeds, request.outputs);
  } finally {
    for (const buffer of taken) inputs.give(buffer);
  }
  const outputs: Record<string, WireTensor> = {};
  for (const name of request.outputs) {
    const tensor = result[name]!;
    outputs[name] = { type: 'float32', data: tensor.data as Float32Array, dims: [...tensor.dims] };
  }
  return { ok: true, outputs };
}

process.on('message', (message: SessionRequest & { id: number }) => {
  handle(message).then(
    (reply) => process.send!({ id: message.id, ...reply }),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: wireError(error) }),
  );
});
// The engine is gone: nothing will ask for more.
process.on('disconnect', () => process.exit(0));
