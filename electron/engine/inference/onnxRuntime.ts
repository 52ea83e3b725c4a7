/**
 * The one module that imports onnxruntime-node: opens inference sessions with the execution providers a person
 * asked for, falling back to the CPU when a provider is not available on this machine.
 */
import * as ort from 'onnxruntime-node';
import { ClipSortError, errorMessage } from '../errors.js';

export type { InferenceSession } from 'onnxruntime-node';
export { Tensor } from 'onnxruntime-node';

import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../choices.js';

export { EXECUTION_PROVIDERS, type ExecutionProvider };

export interface SessionOptions {
  /** Threads inside one operator; 0 or absent lets onnxruntime pick (one per core). */
  threads?: number;
  /** Providers in order of preference; the CPU is appended as the last resort. */
  executionProviders?: readonly ExecutionProvider[];
  /**
   * Let idle inference threads spin before sleeping. Off by default: ClipSort decodes images on the same cores
   * while the model runs, and spinning threads would take their time.
   */
  allowSpinning?: boolean;
}

/** Providers this build of onnxruntime-node can load here. */
export function availableExecutionProviders(): ExecutionProvider[] {
  const names = new Set(ort.listSupportedBackends().map((backend) => backend.name));
  // DirectML and CoreML are compiled into the Windows and macOS builds but not listed as backends.
  if (process.platform === 'win32') names.add('dml');
  if (process.platform === 'darwin') names.add('coreml');
  return EXECUTION_PROVIDERS.filter((provider) => provider === 'cpu' || names.has(provider));
}

/**
 * The providers of `wanted` to ask onnxruntime for (the CPU is always added last); throws `provider-unavailable`
 * when one of them cannot be loaded on this computer.
 */
export function checkExecutionProviders(wanted: readonly ExecutionProvider[] = []): ExecutionProvider[] {
  const available = new Set(availableExecutionProviders());
  const chosen = wanted.filter((provider) => provider !== 'cpu');
  const missing = chosen.filter((provider) => !available.has(provider));
  if (missing.length > 0) {
    throw new ClipSortError(
      'provider-unavailable',
      `The execution provider ${missing.join(', ')} is not available on this computer ` +
        `(available: ${[...available].join(', ')}). Choose another one in the settings or use the CPU.`,
    );
  }
  return chosen;
}

/** Opens an ONNX model, from a file or from its bytes, with full graph optimisation. */
export async function openSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<ort.InferenceSession> {
  const wanted = checkExecutionProviders(options.executionProviders);
  const modelPath = typeof model === 'string' ? model : 'built in memory';
  try {
    const settings: ort.InferenceSession.SessionOptions = {
      executionProviders: [...wanted, 'cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
    };
    // Two calls, not one: `create` is overloaded on a path and on bytes.
    return await (typeof model === 'string'
      ? ort.InferenceSession.create(model, settings)
      : ort.InferenceSession.create(model, settings));
  } catch (error) {
    if (wanted.length > 0) {
      throw new ClipSortError(
        'provider-unavailable',
        `The execution provider ${wanted.join(', ')} could not be started (${errorMessage(error)}). ` +
          'Check its drivers and runtime libraries, or use the CPU.',
        { cause: error },
      );
    }
    throw new ClipSortError(
      'model-broken',
      `The model file ${modelPath} could not be loaded (${errorMessage(error)}). ` +
        'Run `clipsort models verify` and download or import the model again.',
      { cause: error },
    );
  }
}
