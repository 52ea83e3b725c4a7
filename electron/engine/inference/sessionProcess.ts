import { ClipSortError } from '../errors.js';
import { ChildChannel, ChildCrashedError } from '../process/childChannel.js';
import type { SessionOptions } from './onnxRuntime.js';
import type {
  SessionReply,
  SessionRequest,
  SessionSignature,
  WireError,
  WirePixels,
  WireTensor,
} from './sessionProtocol.js';

const inferenceWorker = new URL(
  import.meta.url.endsWith('.ts') ? './inferenceWorker.ts' : './inferenceWorker.js',
  import.meta.url,
);

const toError = (error: WireError) =>
  error.code ? new ClipSortError(error.code, error.message) : new Error(`inference failed: ${error.message}`);

function unwrap(reply: SessionReply) {
  if (!reply.ok) throw toError(reply.error);
  return reply;
}

/**
 * An onnxruntime session in a child process of its own: `run` never blocks the caller's thread, and a native
 * crash costs a restart, not the engine. A run cut short by a crash is tried once more in a fresh process.
 */
export class SessionProcess {
  private opened?: Promise<void>;

  private constructor(
    private readonly channel: ChildChannel<SessionRequest, SessionReply>,
    private readonly file: string,
    private readonly options: SessionOptions,
    private readonly signature: SessionSignature,
  ) {
    this.opened = Promise.resolve();
  }

  get inputNames(): readonly string[] {
    return this.signature.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.signature.outputNames;
  }

  /** The element type of an input (`float32`, `uint8`, `int32`, `int64`…), from the model itself. */
  inputType(name: string): string | undefined {
    return this.signature.inputTypes[name];
  }

  /** Opens the model `file` in a new process. */
  static async open(file: string, options: SessionOptions): Promise<SessionProcess> {
    const channel = new ChildChannel<SessionRequest, SessionReply>(inferenceWorker);
    try {
      const reply = unwrap(await channel.request({ type: 'open', file, options }));
      if (!('inputNames' in reply)) throw new Error('unexpected reply to open');
      const { inputNames, outputNames, inputTypes } = reply;
      return new SessionProcess(channel, file, options, { inputNames, outputNames, inputTypes });
    } catch (error) {
      await channel.close();
      throw error;
    }
  }

  /** Runs the model and returns the named outputs. */
  async run(
    feeds: Record<string, WireTensor | WirePixels>,
    outputs: readonly string[],
  ): Promise<Record<string, WireTensor>> {
    try {
      return await this.runOnce(feeds, outputs);
    } catch (error) {
      if (!(error instanceof ChildCrashedError)) throw error;
      // The process died: the next request starts a new one, which must open the model again.
      this.opened = undefined;
      try {
        return await this.runOnce(feeds, outputs);
      } catch (again) {
        if (!(again instanceof ChildCrashedError)) throw again;
        throw new ClipSortError(
          'inference-crashed',
          `The model crashed twice in a row (${again.message}). Check the model with \`clipsort models verify\`, ` +
            'or try the CPU execution provider.',
        );
      }
    }
  }

  /** Frees the session and ends its process. */
  release(): Promise<void> {
    return this.channel.close();
  }

  private async runOnce(feeds: Record<string, WireTensor | WirePixels>, outputs: readonly string[]) {
    this.opened ??= this.channel
      .request({ type: 'open', file: this.file, options: this.options })
      .then((reply) => void unwrap(reply))
      .catch((error: unknown) => {
        this.opened = undefined;
        throw error;
      });
    await this.opened;
    const reply = unwrap(await this.channel.request({ type: 'run', feeds, outputs: [...outputs] }));
    if (!('outputs' in reply)) throw new Error('unexpected reply to run');
    return reply.outputs;
  }
}
