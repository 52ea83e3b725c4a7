/**
 * Small ONNX graphs built in memory for the native kernels ClipSort borrows from onnxruntime (a matrix multiply
 * with a threshold or a top-k after it), and one session per graph for the life of the process.
 */
import os from 'node:os';
import onnxProto from 'onnx-proto';
import { openSession, type InferenceSession } from './onnxRuntime.js';

export const { onnx } = onnxProto;
/** GreaterOrEqual is in the default domain from opset 12; ReduceSumSquare still takes `axes` as an attribute. */
const OPSET = 17;

/** A graph input or output: its element type and its shape, where a string names a dynamic dimension. */
export function tensorInfo(name: string, elemType: number, dims: readonly (string | number)[]) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** The serialised model of one graph, ready for `InferenceSession.create`. */
export function encodeGraph(graph: onnxProto.onnx.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'clipsort',
    graph,
  }).finish();
}

/**
 * A getter for one session over the graph `build` makes, opened on first use and kept: every call, of any
 * size, runs through it. One thread per core, asked for by number: left to pick, onnxruntime ran these graphs
 * at about half the speed on two cores. A failed start is not kept, so the next call tries again.
 */
export function sharedSession(build: () => Uint8Array): () => Promise<InferenceSession> {
  let session: Promise<InferenceSession> | undefined;
  return () => {
    session ??= openSession(build(), { threads: os.availableParallelism() }).catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  };
}
