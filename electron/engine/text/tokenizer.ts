import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { ClipSortError, errorMessage } from '../errors.js';

/** The part of @huggingface/tokenizers we use. Its declarations use extensionless imports NodeNext cannot follow. */
interface Tokenizer {
  encode(text: string): { ids: number[] };
  token_to_id(token: string): number | undefined;
}
const Tokenizer = HfTokenizer as unknown as new (json: object, config: object) => Tokenizer;

/** Token ids for a batch of texts, padded to the context length, as the text model takes them. */
export interface TokenBatch {
  ids: BigInt64Array;
  attentionMask: BigInt64Array;
  count: number;
  length: number;
}

/** Context length used when the model folder does not state one (every CLIP text tower has 77 positions). */
const CLIP_CONTEXT_LENGTH = 77;

type TokenSetting = string | { content: string } | undefined;

const tokenText = (token: TokenSetting) => (typeof token === 'object' ? token.content : token);

/**
 * The model's own tokenizer (`tokenizer.json`, via @huggingface/tokenizers), with the truncation and padding CLIP
 * expects: at most `contextLength` ids with the end token kept last, padded with the pad token.
 */
export class ClipTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly contextLength: number,
    readonly padId: number,
  ) {}

  /** Loads `tokenizer.json` and `tokenizer_config.json` (and `config.json` for the context length) from a model folder. */
  static async load(modelDir: string): Promise<ClipTokenizer> {
    const read = async (name: string, required: boolean): Promise<Record<string, unknown>> => {
      try {
        return JSON.parse(await readFile(path.join(modelDir, name), 'utf8')) as Record<string, unknown>;
      } catch (error) {
        if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw new ClipSortError(
          'model-broken',
          `The model's ${name} in ${modelDir} cannot be read (${errorMessage(error)}). Import or download the model again.`,
          { cause: error },
        );
      }
    };
    const [json, config, modelConfig] = await Promise.all([
      read('tokenizer.json', true),
      read('tokenizer_config.json', false),
      read('config.json', false),
    ]);
    const tokenizer = new Tokenizer(json, config);
    const textConfig = (modelConfig.text_config ?? {}) as { max_position_embeddings?: number };
    const stated = textConfig.max_position_embeddings ?? (config.model_max_length as number | undefined);
    // Tokenizer configs without a real limit state a huge sentinel (1e30); CLIP's towers have 77 positions.
    const contextLength = stated && stated <= 4096 ? stated : CLIP_CONTEXT_LENGTH;
    const padToken =
      tokenText(config.pad_token as TokenSetting) ?? tokenText(config.eos_token as TokenSetting);
    const padId = (padToken ? tokenizer.token_to_id(padToken) : undefined) ?? 0;
    return new ClipTokenizer(tokenizer, contextLength, padId);
  }

  /** The ids of `text` with start and end tokens, unpadded; truncated to the context length, end token kept. */
  encode(text: string): number[] {
    const { ids } = this.tokenizer.encode(text);
    if (ids.length <= this.contextLength) return ids;
    return [...ids.slice(0, this.contextLength - 1), ids[ids.length - 1]!];
  }

  /** Encodes and pads a batch of texts. */
  encodeBatch(texts: readonly string[]): TokenBatch {
    const length = this.contextLength;
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(texts.length * length);
    texts.forEach((text, row) => {
      this.encode(text).forEach((id, i) => {
        ids[row * length + i] = BigInt(id);
        attentionMask[row * length + i] = 1n;
      });
    });
    return { ids, attentionMask, count: texts.length, length };
  }
}
