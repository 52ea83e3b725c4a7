/**
 * `clipsort eval <folder> --captions FILE`: how well a folder's images match their captions, with the model in
 * use and, given `--image-model`/`--text-model`, with the towers of two models side by side with it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { count, type CommandResult } from '../api/contract/index.js';
import { MAX_CAPTIONS_CHARS } from '../api/contract/evaluation.js';
import { ClipSortError, errorMessage } from '../engine/errors.js';
import { withCommands } from './commands.js';
import type { ModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';
import { clip, percent, table } from './textTable.js';

export interface CaptionsOptions extends GlobalOptions, ModelOptions {
  imageModel?: string;
  textModel?: string;
}

type Report = CommandResult<'eval.captions'>;
type Grouped = Report['imageMatrix'];

function printCaptions(result: Report): void {
  const rows = [['image', 'own caption rank', 'closest caption']];
  result.images.forEach((image, i) => {
    const row = result.matrix[i]!;
    const closest = row.indexOf(Math.max(...row));
    rows.push([image, String(result.imageRanks[i]), clip(result.captions[closest]!, 60)]);
  });
  for (const line of table(rows)) say(line);
  say();
  say(`${count(result.images.length, 'captioned image')}`);
  for (const line of headline(result)) say(line);
  if (result.missing.length > 0) say(`${count(result.missing.length, 'row')} left out:`);
  for (const { file, reason } of result.missing) say(`  ${file}: ${reason}`);
}

function headline(result: Report): string[] {
  return [
    `image → caption: top-1 ${percent(result.top1)}, top-5 ${percent(result.top5)}`,
    `caption → image: top-1 ${percent(result.captionTop1)}, top-5 ${percent(result.captionTop5)}`,
    `mean similarity: matching pairs ${result.diagonal.toFixed(3)}, other pairs ${result.offDiagonal.toFixed(3)}`,
  ];
}

/**
 * The mean similarity of different items of one category and of items of different categories: how well an
 * encoder groups what belongs together, on its own side (null where no such pair exists).
 */
function grouping({ matrix, categories }: Grouped): { within: number | null; across: number | null } {
  const sums = { within: [0, 0], across: [0, 0] };
  matrix.forEach((row, i) =>
    row.forEach((value, j) => {
      if (i === j) return;
      const sum = categories[i] === categories[j] ? sums.within : sums.across;
      sum[0]! += value;
      sum[1]! += 1;
    }),
  );
  const mean = ([total, n]: number[]) => (n === 0 ? null : total! / n!);
  return { within: mean(sums.within), across: mean(sums.across) };
}

const similarity = (value: number | null) => (value === null ? '–' : value.toFixed(3));

/** The two reports side by side: the figures, then how each encoder groups its own side by category. */
function printComparison(together: Report, apart: Report): void {
  const name = (report: Report) =>
    report.encoders.image === report.encoders.text
      ? report.encoders.image
      : `${report.encoders.image} + ${report.encoders.text}`;
  const figures = (report: Report) => [
    percent(report.top1),
    percent(report.top5),
    percent(report.captionTop1),
    report.diagonal.toFixed(3),
    report.offDiagonal.toFixed(3),
  ];
  const labels = [
    'image → caption top-1',
    'image → caption top-5',
    'caption → image top-1',
    'matching pairs',
    'other pairs',
  ];
  const [a, b] = [figures(together), figures(apart)];
  const rows = [['', name(together), name(apart)], ...labels.map((label, i) => [label, a[i]!, b[i]!])];
  say('Compared:');
  for (const line of table(rows)) say(`  ${line}`);
  say();
  say('Each encoder on its own side (mean similarity within a category / across categories):');
  const sides = [
    ['images', together.encoders.image, together.imageMatrix],
    ['images', apart.encoders.image, apart.imageMatrix],
    ['captions', together.encoders.text, together.textMatrix],
    ['captions', apart.encoders.text, apart.textMatrix],
  ] as const;
  const seen = new Set<string>();
  const sideRows = [['', 'encoder', 'within', 'across']];
  for (const [side, encoder, matrix] of sides) {
    if (seen.has(`${side} ${encoder}`)) continue;
    seen.add(`${side} ${encoder}`);
    const { within, across } = grouping(matrix);
    sideRows.push([side, encoder, similarity(within), similarity(across)]);
  }
  for (const line of table(sideRows)) say(`  ${line}`);
}

/**
 * The captions file's text, refused here as the engine would when the contract cannot carry it: an empty file
 * (the contract wants some text) or one too large to send.
 */
async function readCaptionsFile(file: string, name: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ClipSortError(
      'captions-unreadable',
      `The captions file ${file} cannot be read (${errorMessage(error)}).`,
    );
  }
  if (text === '') {
    throw new ClipSortError(
      'captions-empty',
      `${name} holds no captions: it needs a row per image (CSV filename,category,caption, or JSON by category).`,
    );
  }
  if (text.length > MAX_CAPTIONS_CHARS) {
    throw new ClipSortError(
      'captions-too-large',
      `${name} is larger than ${MAX_CAPTIONS_CHARS / 1024} KiB, the most ClipSort evaluates at once: split the file.`,
    );
  }
  return text;
}

/**
 * Opens `folder` as a plain folder of images, so that the file's names are found relative to it, and scores the
 * file with the model in use; with separate towers named, with them too, and prints both.
 */
export async function evalCaptions(folder: string, file: string, options: CaptionsOptions): Promise<void> {
  const name = path.basename(file);
  const captions = await readCaptionsFile(file, name);
  const { imageModel, textModel } = options;
  await withCommands({ library: folder, kind: 'folder', options }, async (client) => {
    const evaluate = (towers: { imageModel?: string; textModel?: string }) =>
      withEmbeddingProgress(client, options, () =>
        client.invoke('eval.captions', { captions, name, folder: '.', ...towers }),
      );
    const together = await evaluate({});
    if (imageModel === undefined && textModel === undefined) {
      if (options.json) printJson(together);
      else printCaptions(together);
      return;
    }
    const apart = await evaluate({ imageModel, textModel });
    if (options.json) return printJson({ clip: together, separate: apart });
    say(`With ${together.encoders.image} (one CLIP model):`);
    printCaptions(together);
    say();
    say(`With the image encoder of ${apart.encoders.image} and the text encoder of ${apart.encoders.text}:`);
    printCaptions(apart);
    say();
    printComparison(together, apart);
  });
}
