import { stat } from 'node:fs/promises';
import { embedFiles, type EmbedOptions } from '../embedding/embedFiles.js';
import { ClipSortError } from '../errors.js';
import type { ClipModel } from '../inference/clipModel.js';
import { resolveInsideLibrary } from '../library/safePaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { locateCaptionImages, type LocatedRow, type MissingRow } from './captionImages.js';
import {
  captionScores,
  groupedSimilarities,
  type CaptionScores,
  type GroupedMatrix,
} from './captionMetrics.js';
import { parseCaptions } from './captionsFile.js';
import { embedTextsInBatches } from './textBatches.js';

/**
 * Most rows evaluated at once. The result holds three n × n matrices: at 1000 rows, three million numbers, about
 * 25 MB of JSON; more is neither quick to send nor readable as a chart.
 */
export const MAX_CAPTION_ROWS = 1000;

export interface CaptionsEvaluation extends CaptionScores {
  /** Paths (relative to the root) of the images found, one per row evaluated, in the file's order. */
  images: string[];
  captions: string[];
  categories: string[];
  /** Rows left out because their image was not found or could not be read, with why. */
  missing: MissingRow[];
  /** Image × image and caption × caption similarity, rows grouped by category. */
  imageMatrix: GroupedMatrix;
  textMatrix: GroupedMatrix;
}

export interface EvaluateCaptionsOptions extends EmbedOptions {
  /** The captions file's name, for messages and to tell CSV from JSON. */
  name?: string;
  /** Where the images are, relative to the root with forward slashes ('' for the root itself). */
  folder?: string;
}

/**
 * The encoders a captions file is scored with: a CLIP model's two towers, or (to compare) the image tower of one
 * model and the text tower of another, whose spaces were never trained to agree.
 */
export interface CaptionEncoders {
  image: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>;
  text: Pick<ClipModel, 'embedTexts'>;
}

async function assertFolder(root: string, folder: string): Promise<void> {
  const absolute = folder === '' ? root : await resolveInsideLibrary(root, folder);
  const isFolder = await stat(absolute).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new ClipSortError('folder-missing', `There is no folder ${folder || root} to find the images in.`);
  }
}

/** Refuses encoders whose embeddings differ in size: no similarity between an image and a caption exists then. */
function assertComparable(image: Float32Array, caption: Float32Array): void {
  if (image.length !== caption.length) {
    throw new ClipSortError(
      'encoders-mismatch',
      `The image encoder makes embeddings of ${image.length} numbers and the text encoder of ${caption.length}: ` +
        'an image and a caption can only be compared in a space of one size. Pick encoders of the same size.',
    );
  }
}

/**
 * Scores a captions file against its images (see captionMetrics.ts): the images are embedded as `clipsort embed`
 * does (kept in the root's index, under the image encoder's key), the captions as written, without prompt
 * templates.
 */
export async function evaluateCaptions(
  root: string,
  text: string,
  encoders: CaptionEncoders,
  index: LibraryIndex,
  options: EvaluateCaptionsOptions = {},
): Promise<CaptionsEvaluation> {
  const { name = 'the captions file', ...embedOptions } = options;
  // Canonical form, so that paths match the index's: `./Dataset/` → `Dataset`.
  const folder = (options.folder ?? '')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
  const rows = parseCaptions(text, name);
  if (rows.length > MAX_CAPTION_ROWS) {
    throw new ClipSortError(
      'captions-too-many',
      `${name} has ${rows.length} rows; ClipSort evaluates at most ${MAX_CAPTION_ROWS} at once: split the file.`,
    );
  }
  await assertFolder(root, folder);
  const located = await locateCaptionImages(root, folder, rows);
  const found = located.filter((row): row is LocatedRow => !('reason' in row));
  const report = await embedFiles(
    root,
    [...new Set(found.map((row) => row.file))],
    encoders.image,
    index,
    embedOptions,
  );
  const failed = new Map(report.errors.map((e) => [e.file, e.error]));
  const missing: MissingRow[] = [];
  const usable: LocatedRow[] = [];
  for (const row of located) {
    if ('reason' in row) missing.push(row);
    else if (failed.has(row.file)) missing.push({ file: row.filename, reason: failed.get(row.file)! });
    else usable.push(row);
  }
  if (usable.length < 2) {
    const why = missing
      .slice(0, 3)
      .map((m) => `${m.file}: ${m.reason}`)
      .join('; ');
    const where = folder === '' ? 'the open folder' : `${folder}/`;
    throw new ClipSortError(
      'captions-no-images',
      `Only ${usable.length} of the ${rows.length} images in ${name} could be used, looking in ${where} and its ` +
        `category folders; scoring needs at least two` +
        (why ? ` (${why}${missing.length > 3 ? '; …' : ''}).` : '.'),
    );
  }

  const captions = usable.map((row) => row.caption);
  const unique = [...new Set(captions)];
  const embedded = await embedTextsInBatches(encoders.text, unique);
  const byText = new Map(unique.map((caption, i) => [caption, embedded[i]!]));
  const imageVectors = usable.map((row) => report.vectors.get(row.file)!);
  assertComparable(imageVectors[0]!, embedded[0]!);
  const captionVectors = captions.map((caption) => byText.get(caption)!);
  const images = usable.map((row) => row.file);
  const categories = usable.map((row) => row.category);
  return {
    images,
    captions,
    categories,
    ...captionScores(imageVectors, captionVectors, images, captions),
    missing,
    imageMatrix: groupedSimilarities(imageVectors, images, categories),
    textMatrix: groupedSimilarities(captionVectors, captions, categories),
  };
}
