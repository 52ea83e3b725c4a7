import path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { readModelJson } from '../models/modelJson.js';

/** The part of @huggingface/tokenizers we use. Its declarations use extensionless imports NodeNext cannot follow. */
interface Tokenizer {
  encode(text: string): { ids: number[] };
  token_to_id(token: string): number | undefined;
}
const Tokenizer = HfTokenizer as unknown as new (json: object, config: object) => Tokenizer;

/** Token ids for a batch of texts, padded to one length, as the text model takes them. */
export interface TokenBatch {
  ids: Int32Array;
  attentionMask: Int32Array;
  count: number;
  length: number;
}

/** Context length used when the model folder does not state one (every CLIP text tower has 77 positions). */
const CLIP_CONTEXT_LENGTH = 77;

type TokenSetting = string | { content: string } | undefined;

const tokenText = (token: TokenSetting) => (typeof token === 'object' ? token.content : token);

/** Where a model keeps its tokenizer, and what its layout says about using it. */
export interface TokenizerSettings {
  /** The folder, inside the model folder, of `tokenizer.json` and `tokenizer_config.json`. */
  dir?: string;
  /** Positions of the text tower, where the model's config states them. */
  contextLength?: number;
  /** Lower-case and drop punctuation first, as open_clip's `clean: canonicalize` tokenizers do. */
  canonicalize?: boolean;
}

/**
 * The model's own tokenizer (`tokenizer.json`, via @huggingface/tokenizers), with the truncation and padding CLIP
 * expects: at most `contextLength` ids with the end token kept last, padded with the pad token.
 */
export class ClipTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly contextLength: number,
    readonly padId: number,
    private readonly canonicalize: boolean,
  ) {}

  /** Loads `tokenizer.json` and `tokenizer_config.json` from the model folder (or its `settings.dir`). */
  static async load(modelDir: string, settings: TokenizerSettings = {}): Promise<ClipTokenizer> {
    const dir = path.join(modelDir, settings.dir ?? '.');
    const [json, config] = await Promise.all([
      readModelJson(dir, 'tokenizer.json', true),
      readModelJson(dir, 'tokenizer_config.json', false),
    ]);
    const tokenizer = new Tokenizer(json, config);
    const stated = settings.contextLength ?? (config.model_max_length as number | undefined);
    // Tokenizer configs without a real limit state a huge sentinel (1e30); CLIP's towers have 77 positions.
    const contextLength = stated && stated <= 4096 ? stated : CLIP_CONTEXT_LENGTH;
    const padToken =
      tokenText(config.pad_token as TokenSetting) ?? tokenText(config.eos_token as TokenSetting);
    const padId = (padToken ? tokenizer.token_to_id(padToken) : undefined) ?? 0;
    return new ClipTokenizer(tokenizer, contextLength, padId, settings.canonicalize ?? false);
  }

  /** Whether the vocabulary has `token` as one piece (a language code of NLLB's, for one). */
  hasToken(token: string): boolean {
    return this.tokenizer.token_to_id(token) !== undefined;
  }

  /** The ids of `text` with start and end tokens, unpadded; truncated to the context length, end token kept. */
  encode(text: string): number[] {
    const { ids } = this.tokenizer.encode(this.canonicalize ? canonical(text) : text);
    if (ids.length <= this.contextLength) return ids;
    return [...ids.slice(0, this.contextLength - 1), ids[ids.length - 1]!];
  }

  /**
   * Encodes and pads a batch of texts: to the context length, or with `trim` only to the longest text's ids
   * (which a text tower that takes any length computes at a fraction of the cost).
   */
  encodeBatch(texts: readonly string[], { trim = false } = {}): TokenBatch {
    const encoded = texts.map((text) => this.encode(text));
    const length = trim ? Math.max(1, ...encoded.map((ids) => ids.length)) : this.contextLength;
    const ids = new Int32Array(texts.length * length).fill(this.padId);
    const attentionMask = new Int32Array(texts.length * length);
    encoded.forEach((tokens, row) => {
      tokens.forEach((id, i) => {
        ids[row * length + i] = id;
        attentionMask[row * length + i] = 1;
      });
    });
    return { ids, attentionMask, count: texts.length, length };
  }
}

/** open_clip's canonical form of a text: lower case, punctuation dropped, whitespace collapsed. */
function canonical(text: string): string {
  return text
    .replace(/[\p{P}]/gu, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}
