/**
 * Runs one onnxruntime session on its own thread. onnxruntime-node's `run` holds the calling thread for the
 * whole forward pass; here it holds this worker instead, so the engine's thread keeps decoding images (and
 * answering the app) while the model works.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClipSortError, errorMessage } from '../errors.js';
import { openSession, Tensor, type SessionOptions } from './onnxRuntime.js';
import type { FromWorker, ToWorker, WireError, WireTensor } from './workerProtocol.js';

const port = parentPort!;
const { file, options } = workerData as { file: string; options: SessionOptions };

const wireError = (error: unknown): WireError =>
  error instanceof ClipSortError
    ? { code: error.code, message: error.message }
    : { message: errorMessage(error) };

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const session = await openSession(file, options);
  send({ type: 'ready', inputNames: [...session.inputNames], outputNames: [...session.outputNames] });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'release') {
      void session.release().finally(() => process.exit(0));
      return;
    }
    const feeds = Object.fromEntries(
      Object.entries(message.feeds).map(([name, t]) => [name, new Tensor(t.type, t.data, t.dims)]),
    );
    session.run(feeds, message.outputs).then(
      (result) => {
        const outputs: Record<string, WireTensor> = {};
        for (const name of message.outputs) {
          const tensor = result[name]!;
          outputs[name] = { type: 'float32', data: tensor.data as Float32Array, dims: [...tensor.dims] };
        }
        send(
          { type: 'result', id: message.id, outputs },
          Object.values(outputs).map((t) => t.data.buffer as ArrayBuffer),
        );
      },
      (error: unknown) => send({ type: 'error', id: message.id, error: wireError(error) }),
    );
  });
} catch (error) {
  send({ type: 'failed', error: wireError(error) });
}
