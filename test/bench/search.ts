/**
 * Searching a library of 100,000 embedded images (the rescan benchmark's, see rescan.ts): the first text search,
 * which walks the library and reads its vectors, then texts and images searched by as a person would, through
 * the same commands the faces send. The colour model's embeddings have 32 numbers, so scoring and ranking
 * 100,000 CLIP-sized ones (512, clustered as photos are) is timed besides, in memory. `npm run bench` prints the
 * figures; `tsx test/bench/search.ts` alone.
 */
import { pathToFileURL } from 'node:url';
import { ApiService } from '../../electron/api/state/apiService.js';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';
import { queryScores } from '../../electron/engine/evaluate/queryScores.js';
import { embedSearchText, rankScores } from '../../electron/engine/evaluate/textSearch.js';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { TextTower } from '../../electron/engine/inference/textTower.js';
import { openTower } from '../../electron/engine/inference/tower.js';
import { PROMPT_TEMPLATES } from '../../electron/engine/text/prompts.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { photoLikeEmbeddings } from '../helpers/photoLikeEmbeddings.js';
import { generatedLibrary } from './rescan.js';

const TEXTS = ['red', 'a blue sky', 'green leaves', 'dog on a beach', 'orange', 'purple', 'a cat', 'yellow'];
const ROUNDS = 3;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (target ≤ 200 ms)`;

const ROWS = 100_000;
const DIMS = 512;
const QUERIES = 30;

/** Scoring and ranking 100,000 × 512 against a text-like query and against one of the images, in memory. */
function benchRanking(row: (name: string, value: string) => void): void {
  const library = photoLikeEmbeddings({ rows: ROWS, dims: DIMS, subjects: 40, seed: 1 });
  const normal = gaussian(seededRandom(2));
  const texts: number[] = [];
  const images: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const text = Float32Array.from({ length: DIMS }, () => normal() / Math.sqrt(DIMS));
    let started = performance.now();
    rankScores(queryScores(library, text), 60);
    texts.push(performance.now() - started);
    const at = (q * 7919) % ROWS;
    started = performance.now();
    rankScores(queryScores(library, library.data.subarray(at * DIMS, (at + 1) * DIMS)), 60, {
      skip: at,
      copies: 0.95,
    });
    images.push(performance.now() - started);
  }
  const label = `${ROWS.toLocaleString('en')} × ${DIMS} in memory, ${QUERIES} queries`;
  row(`search: scoring and ranking by a text, ${label}`, ms(texts));
  row(`search: scoring and ranking by an image, ${label}`, ms(images));
}

const SEARCH_TEXTS = [
  'red car',
  'a dog on a beach',
  'sunset over the mountains',
  'birthday cake with candles',
  'cat',
  'old church in the snow',
  'my grandmother in the kitchen',
  'a plate of pasta',
  'kids playing football in the park',
  'boat',
];

/**
 * Embedding a search text through its prompts by a CLIP-sized text tower (`model`, ViT-B/32's), padded to the
 * context length and padded only to the longest prompt, as ClipModel does once it has checked the tower.
 */
export async function benchSearchText(
  model: ClipModel,
  textFile: string,
  threads: number,
  row: (name: string, value: string) => void,
): Promise<void> {
  const tokenizer = await model.tokenizer();
  const full = new TextTower(
    await openTower(textFile, ['input_ids'], 'text_embeds', { threads }),
    tokenizer,
    {
      fullLength: true,
    },
  );
  const fullModel = {
    embedPromptSets: (sets: readonly (readonly string[])[]) => full.embed(sets.flat(), 'en'),
  };
  try {
    const timed = async (embedder: Pick<ClipModel, 'embedPromptSets'>) => {
      await embedSearchText(embedder, 'warm');
      const times: number[] = [];
      for (const text of SEARCH_TEXTS) {
        const started = performance.now();
        await embedSearchText(embedder, text);
        times.push(performance.now() - started);
      }
      return times;
    };
    const prompts = `${PROMPT_TEMPLATES.length} prompts`;
    row(
      `search: embedding a text, ViT-B/32 text tower, ${prompts} × 77 positions`,
      ms(await timed(fullModel)),
    );
    row(`search: embedding a text, ViT-B/32 text tower, ${prompts} × longest`, ms(await timed(model)));
  } finally {
    await full.tower.session.release();
  }
}

/** Runs the search figures, reporting each through `row`. */
export async function benchSearch(row: (name: string, value: string) => void): Promise<void> {
  const model = await ClipModel.load(colourModelDir, { threads: 1 });
  const { root } = await generatedLibrary(model);
  await model.dispose();
  const api = await ApiService.open(root, { model: { modelDir: colourModelDir } });
  try {
    const timed = async <T>(name: string, input: unknown): Promise<[number, T]> => {
      const started = performance.now();
      const outcome = await api.invoke(name, input);
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
      return [performance.now() - started, outcome.result as T];
    };
    const [first, found] = await timed<CommandResult<'search.text'>>('search.text', { text: 'red' });
    row('search: first text search, 100,000 images (walk + vectors read)', `${(first / 1000).toFixed(2)} s`);
    const texts: number[] = [];
    const images: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const text of TEXTS) texts.push((await timed('search.text', { text }))[0]);
      for (const { file } of found.results.slice(0, TEXTS.length)) {
        images.push((await timed('search.similar', { file }))[0]);
      }
    }
    row(`search: text, 100,000 images, ${texts.length} searches`, ms(texts));
    row(`search: similar to an image, 100,000 images, ${images.length} searches`, ms(images));
  } finally {
    await api.close();
  }
  benchRanking(row);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchSearch((name, value) => console.log(`${name}: ${value}`));
}
