/**
 * One tower of a CLIP model: an onnxruntime session in its own process, and which of its inputs and outputs
 * carry the pixels or tokens and the embedding.
 */
import { ClipSortError } from '../errors.js';
import type { SessionOptions } from './onnxRuntime.js';
import { SessionProcess } from './sessionProcess.js';
import { l2Normalise } from './vectors.js';

export interface Tower {
  session: SessionProcess;
  input: string;
  output: string;
}
/** The output to read: the projected embedding when the export names it, else the first output. */
function pickOutput(session: SessionProcess, preferred: string): string {
  return session.outputNames.includes(preferred) ? preferred : session.outputNames[0]!;
}

/** The input to feed: the first of `names` the model has, else its only input besides an attention mask. */
function pickInput(session: SessionProcess, file: string, names: readonly string[]): string {
  const others = session.inputNames.filter((name) => name !== 'attention_mask');
  const input =
    names.find((name) => session.inputNames.includes(name)) ?? (others.length === 1 ? others[0] : undefined);
  if (input === undefined) {
    throw new ClipSortError(
      'model-unsupported',
      `The model ${file} has none of the inputs ${names.join(', ')} (it has ${session.inputNames.join(', ')}).`,
    );
  }
  return input;
}

export async function openTower(
  file: string,
  inputs: readonly string[],
  output: string,
  options: SessionOptions,
): Promise<Tower> {
  const session = await SessionProcess.open(file, options);
  try {
    return { session, input: pickInput(session, file, inputs), output: pickOutput(session, output) };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** The L2-normalised rows of a batch's output. */
export function embeddingRows(data: Float32Array, count: number): Float32Array[] {
  const size = data.length / count;
  return Array.from({ length: count }, (_, i) => l2Normalise(data.slice(i * size, (i + 1) * size)));
}
