/**
 * Before int8 sorts anything, it is checked on the person's own photos: a sample of the library is embedded at
 * both precisions, and int8 is refused when its embeddings drift from fp32's (mean cosine below 0.995) or when
 * any sample photo's top class in the library's mode changes. Embeddings of each precision are stored under keys
 * of their own, so nothing mixes.
 */
import path from 'node:path';
import { buildClassifier, type ClassifierOptions } from '../classify/classifier.js';
import { embedFiles, type EmbedOptions } from '../embedding/embedFiles.js';
import type { ClipModel } from '../inference/clipModel.js';
import { dot } from '../inference/vectors.js';
import { libraryFolders } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { libraryClasses } from './libraryClasses.js';
import { libraryImageFiles } from './libraryVectors.js';

/** Below this mean cosine to fp32, int8 is refused. */
export const MIN_MEAN_COSINE = 0.995;
/** Fewer sample photos than this say too little: int8 is refused until the library has them. */
export const MIN_SAMPLE = 32;
/**
 * A photo whose two best classes are this close in fp32 is a tie: int8's activations are quantised per batch, so
 * such a photo's top class can change with what it was embedded with, at either precision. Such changes are
 * counted as ties, not held against int8; the decision sends near-ties to review anyway.
 */
export const TIE_MARGIN = 1e-3;
/** The sample's size where the library has more photos. */
export const SAMPLE_SIZE = 64;

export interface PrecisionCheck {
  /** Sample photos embedded both ways. */
  images: number;
  meanCosine: number | null;
  minCosine: number | null;
  /** Sample photos whose top class differs between the precisions. */
  changed: { file: string; fp32: string; int8: string }[];
  /** Sample photos whose top class changed from a tie in fp32 (see `TIE_MARGIN`); not counted. */
  ties: number;
  accepted: boolean;
  /** Why int8 was refused, in words; null when accepted. */
  reason: string | null;
}

/** int8 refused before any comparison, for `reason`. */
export function refusedUnchecked(images: number, reason: string): PrecisionCheck {
  return { images, meanCosine: null, minCosine: null, changed: [], ties: 0, accepted: false, reason };
}

type Model = Pick<ClipModel, 'key' | 'preprocess' | 'embedImages' | 'embedPromptSets' | 'scoring'>;

/** Up to `size` photos spread evenly over the list: the inbox and Dataset first, then the class references. */
function sample(files: readonly string[], classesFolder: string, size: number): string[] {
  const isReference = (file: string) => file.startsWith(`${classesFolder}/`);
  const ordered = [...files.filter((f) => !isReference(f)), ...files.filter(isReference)];
  if (ordered.length <= size) return ordered;
  const others = ordered.length - files.filter(isReference).length;
  const pool = others >= size ? ordered.slice(0, others) : ordered;
  return Array.from({ length: size }, (_, i) => pool[Math.floor((i * pool.length) / size)]!);
}

/** Compares `int8` with `fp32` on a sample of the library at `root`, classifying in `options.mode`. */
export async function checkPrecision(
  root: string,
  fp32: Model,
  int8: Model,
  index: LibraryIndex,
  options: Pick<ClassifierOptions, 'mode' | 'hybrid' | 'probe'> &
    Pick<EmbedOptions, 'batchSize' | 'inFlight'> & { language?: string },
): Promise<PrecisionCheck> {
  const classesFolder = path.basename(libraryFolders(root).classes);
  const files = sample(await libraryImageFiles(root), classesFolder, SAMPLE_SIZE);
  const embedOptions = { batchSize: options.batchSize, inFlight: options.inFlight };
  const [full, eight] = [
    await embedFiles(root, files, fp32, index, embedOptions),
    await embedFiles(root, files, int8, index, embedOptions),
  ];
  const both = files.filter((file) => full.vectors.has(file) && eight.vectors.has(file));
  if (both.length < MIN_SAMPLE) {
    return refusedUnchecked(
      both.length,
      `int8 is checked against full precision on at least ${MIN_SAMPLE} of the library's photos before it ` +
        `is used, and this library has ${both.length}; full precision is used until it has more.`,
    );
  }
  const cosines = both.map((file) => dot(full.vectors.get(file)!, eight.vectors.get(file)!));
  const meanCosine = cosines.reduce((a, b) => a + b, 0) / cosines.length;
  const classifierOf = async (model: Model) => {
    const set = await libraryClasses(root, model, index, { language: options.language });
    return buildClassifier(set.classes, { ...options, scoring: set.scoring });
  };
  const [a, b] = [await classifierOf(fp32), await classifierOf(int8)];
  let ties = 0;
  const changed = both.flatMap((file) => {
    const before = a.rank(full.vectors.get(file)!);
    const after = b.rank(eight.vectors.get(file)!).best;
    if (before.best === after) return [];
    if (before.margin < TIE_MARGIN) return (ties++, []);
    return [{ file, fp32: before.best, int8: after }];
  });
  const reasons = [
    ...(meanCosine < MIN_MEAN_COSINE
      ? [
          `its embeddings differ from full precision's (mean cosine ${meanCosine.toFixed(4)}, below ${MIN_MEAN_COSINE})`,
        ]
      : []),
    ...(changed.length > 0
      ? [
          `it would file ${changed.length} of ${both.length} sample photos in another class in ${options.mode} mode ` +
            `(${changed[0]!.file}: ${changed[0]!.int8} instead of ${changed[0]!.fp32})`,
        ]
      : []),
  ];
  return {
    images: both.length,
    meanCosine,
    minCosine: Math.min(...cosines),
    changed,
    ties,
    accepted: reasons.length === 0,
    reason:
      reasons.length === 0 ? null : `int8 is not used: ${reasons.join('; and ')}. Full precision is used.`,
  };
}
