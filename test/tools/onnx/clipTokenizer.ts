/**
 * Builds a tokenizer in the Hugging Face `tokenizer.json` format with the structure of CLIP's: NFC + whitespace
 * + lowercase normalizer, CLIP's split pattern, byte-level BPE with `</w>` word ends, start/end tokens added by the
 * post-processor. Its vocabulary is made here: the 512 byte symbols, then just enough merges that each given
 * word is one token, then (optionally) unused filler tokens, then the two special tokens last.
 */
import * as tokenizers from '@huggingface/tokenizers';
import { byteAlphabet } from './byteLevel.js';

export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';
const WORD_END = '</w>';
const CLIP_SPLIT_PATTERN =
  "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/**
 * The part of @huggingface/tokenizers' Tokenizer used here. Its own declarations use extension-less relative
 * imports, which TypeScript cannot resolve under NodeNext, so the class would otherwise be typed as an error.
 */
export interface TextTokenizer {
  encode(text: string): { ids: number[]; tokens: string[] };
  tokenize(text: string): string[];
  token_to_id(token: string): number | undefined;
  get_vocab(withAddedTokens?: boolean): Map<string, number>;
}

const { Tokenizer } = tokenizers as unknown as {
  Tokenizer: new (tokenizer: object, config: object) => TextTokenizer;
};

/** The two JSON files of a tokenizer. */
export interface ClipTokenizerFiles {
  /** Contents of tokenizer.json. */
  readonly tokenizer: Record<string, unknown>;
  /** Contents of tokenizer_config.json. */
  readonly config: Record<string, unknown>;
}

export interface ClipTokenizerOptions {
  /** Lower-case ASCII words that must each become exactly one token. */
  readonly words: readonly string[];
  /** Pad the vocabulary with unused tokens to this size (CLIP has 49408); at least the size without padding. */
  readonly vocabSize?: number;
  readonly contextLength?: number;
}

function tokenizerJson(vocab: readonly string[], merges: readonly string[]): Record<string, unknown> {
  const startId = vocab.length;
  const endId = vocab.length + 1;
  const special = { special: true, single_word: false, lstrip: false, rstrip: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: startId, content: START_TOKEN, ...special, normalized: true },
      { id: endId, content: END_TOKEN, ...special, normalized: false },
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_PATTERN }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_TOKEN, endId],
      cls: [START_TOKEN, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_TOKEN,
      continuing_subword_prefix: '',
      end_of_word_suffix: WORD_END,
      fuse_unk: false,
      vocab: Object.fromEntries([...vocab, START_TOKEN, END_TOKEN].map((token, id) => [token, id])),
      merges,
    },
  };
}

function tokenizerConfig(contextLength: number): Record<string, unknown> {
  return {
    add_prefix_space: false,
    bos_token: START_TOKEN,
    clean_up_tokenization_spaces: true,
    do_lower_case: true,
    eos_token: END_TOKEN,
    errors: 'replace',
    model_max_length: contextLength,
    pad_token: END_TOKEN,
    tokenizer_class: 'CLIPTokenizer',
    unk_token: END_TOKEN,
  };
}

/** Loads tokenizer files the way the app does. */
export function loadTokenizer(files: ClipTokenizerFiles): TextTokenizer {
  return new Tokenizer(files.tokenizer, files.config);
}

/**
 * Makes the tokenizer. Merges are added word by word: the word is first split with the merges made so far, then
 * its pieces are joined left to right by new merges ranked after all earlier ones, so earlier words keep
 * tokenising as before. Throws if any word still does not come out as exactly one token.
 */
export function buildClipTokenizer(options: ClipTokenizerOptions): ClipTokenizerFiles {
  const contextLength = options.contextLength ?? 77;
  const config = tokenizerConfig(contextLength);
  const symbols = byteAlphabet().map(([, character]) => character);
  const vocab = [...symbols, ...symbols.map((symbol) => symbol + WORD_END)];
  const known = new Set(vocab);
  const merges: string[] = [];
  for (const word of options.words) {
    if (!/^[a-z]+$/.test(word))
      throw new Error(`Tokenizer words must be lower-case ASCII letters: "${word}".`);
    let pieces = loadTokenizer({ tokenizer: tokenizerJson(vocab, merges), config }).tokenize(word);
    while (pieces.length > 1) {
      const [first, second, ...rest] = pieces as [string, string, ...string[]];
      merges.push(`${first} ${second}`);
      if (!known.has(first + second)) {
        known.add(first + second);
        vocab.push(first + second);
      }
      pieces = [first + second, ...rest];
    }
  }
  const vocabSize = options.vocabSize ?? vocab.length + 2;
  if (vocabSize < vocab.length + 2) throw new Error(`The vocabulary needs ${vocab.length + 2} tokens.`);
  const fillers = Array.from({ length: vocabSize - 2 - vocab.length }, (_, index) => `<|unused_${index}|>`);
  const files = { tokenizer: tokenizerJson([...vocab, ...fillers], merges), config };
  const tokenizer = loadTokenizer(files);
  const split = options.words.filter((word) => tokenizer.encode(word).ids.length !== 3);
  if (split.length > 0)
    throw new Error(`These words do not tokenise to a single token: ${split.join(', ')}.`);
  return files;
}

/** The id of the one token `word` becomes (between the start and end tokens). */
export function singleTokenId(tokenizer: TextTokenizer, word: string): number {
  const ids = tokenizer.encode(word).ids;
  if (ids.length !== 3) throw new Error(`"${word}" is ${ids.length - 2} tokens, not one.`);
  return ids[1]!;
}

/** Ids for the text model as the app makes them: truncated to the context (end token kept last), padded with the end token. */
export function contextIds(tokenizer: TextTokenizer, text: string, contextLength = 77): BigInt64Array {
  const ids = tokenizer.encode(text).ids;
  const endId = tokenizer.token_to_id(END_TOKEN)!;
  const kept = ids.length > contextLength ? [...ids.slice(0, contextLength - 1), endId] : ids;
  const padded = [...kept, ...Array<number>(contextLength - kept.length).fill(endId)];
  return BigInt64Array.from(padded, (id) => BigInt(id));
}
