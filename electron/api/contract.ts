/**
 * The one list of what a face may ask of the engine, and of what the engine tells it. Each command has a zod
 * schema for its input and one for its result; each event, one for its data. Electron IPC, the HTTP/WebSocket
 * server and the renderer's client are all derived from these tables. This module imports nothing but zod and the
 * engine's shared names (a leaf module): the renderer imports it too.
 */
import { z } from 'zod';
import { EXECUTION_PROVIDERS, MODES } from '../engine/choices.js';

export { EXECUTION_PROVIDERS, MODES };

const MAX_PATH = 4096;
const MAX_NAME = 1024;

/**
 * A path inside the library, relative with forward slashes (`Images/beach.jpg`). Anything that could name a file
 * elsewhere is refused before a handler sees it: absolute paths, drive letters, backslashes, `..` segments,
 * control characters.
 */
export const libraryPath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p), 'must not contain backslashes or control characters')
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p), 'must be relative to the library')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments');

/** An absolute folder on this computer (only for choosing a library). */
const folderPath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be absolute');

/** A class name as a person typed it; the engine makes it a safe folder name. */
const className = z
  .string()
  .min(1)
  .max(MAX_NAME)
  .refine((n) => !n.includes('\0'), 'must not contain NUL');

const none = z.strictObject({});
const score = z.number();
const nullableScore = z.number().nullable();

const classScore = z.object({ name: z.string(), score });

/** The library as the server sees it. */
const libraryInfo = z.object({
  /** The folder's name, for titles. */
  name: z.string(),
  /** Where it is on this computer. */
  path: z.string(),
});

const libraryStatusResult = z.object({
  library: libraryInfo,
  /** Images in `Images/` now. */
  inbox: z.number(),
  /** Of those, waiting for a person. */
  review: z.number(),
  classes: z.array(z.object({ name: z.string(), references: z.number(), sorted: z.number() })),
  /** Entries of `Classes/` left out (symbolic links), and why. */
  skippedClasses: z.array(z.object({ name: z.string(), reason: z.string() })),
  /** Entries of `Images/` left where they are, unsorted (unreadable folders, names not UTF-8, other libraries). */
  skippedInbox: z.array(z.object({ path: z.string(), code: z.string(), reason: z.string() })),
  /** Files that could not be used, with the reason and its code (see `ClipSortError`). */
  errors: z.array(z.object({ file: z.string(), code: z.string().nullable(), error: z.string() })),
  /** Whether the watch service is sorting new images. */
  sorting: z.boolean(),
  /** Interrupted moves that could not be settled when the library was opened; each needs a person. */
  unsettledMoves: z.array(z.string()),
});

const reviewItem = z.object({
  file: z.string(),
  /** `unsure`: the classifier could not decide; `undone`: an undo put it back. */
  reason: z.enum(['unsure', 'undone']),
  best: z.string().nullable(),
  score: nullableScore,
  margin: nullableScore,
  /** The best classes, most likely first. */
  top: z.array(classScore),
});

const moveItem = z.object({
  id: z.number(),
  /** Moves made together (one sort run, one assignment, one undo) share a batch; undo works by batch. */
  batch: z.string(),
  kind: z.enum(['sort', 'assign', 'undo']),
  state: z.enum(['planned', 'done', 'failed', 'rolled-back', 'undone']),
  source: z.string(),
  destination: z.string(),
  error: z.string().nullable(),
  plannedAt: z.number(),
  finishedAt: z.number().nullable(),
});

/** The longest quiet period a library may ask for, in seconds. */
export const MAX_QUIET_SECONDS = 600;

const settings = z.object({
  mode: z.enum(MODES),
  /** Lowest score that sorts an image. */
  threshold: z.number(),
  /** Lowest lead over the runner-up that sorts an image. */
  margin: z.number(),
  /** Seconds a new file must be left alone (unchanged, not open for writing) before it is sorted. */
  quietSeconds: z.number(),
  /** The mode's own threshold and margin, and the quiet period, used where none is set. */
  defaults: z.object({ threshold: z.number(), margin: z.number(), quietSeconds: z.number() }),
  /** Inference threads per model tower; null lets onnxruntime choose (one per core). Kept per computer. */
  threads: z.number().nullable(),
  /** Where the model runs. Kept per computer, not per library. */
  provider: z.enum(EXECUTION_PROVIDERS),
  /** What this computer offers: the providers this build can load here, and its processor cores. */
  available: z.object({ providers: z.array(z.enum(EXECUTION_PROVIDERS)), cores: z.number() }),
});

/** A model id: a folder name in the models home (letters, digits, `.`, `_`, `-`). */
const modelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);

/** The model download of this run: in progress, or how the last one ended. */
const modelDownload = z.object({
  model: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** The file being fetched now (model-relative), or null between files. */
  file: z.string().nullable(),
  /** Bytes fetched in this run so far, and the total to fetch (0 until known). */
  received: z.number(),
  total: z.number(),
  /** Why it failed. */
  message: z.string().nullable(),
});

const modelStatus = z.object({
  /** `idle`: found or not yet looked for, not loaded; `missing`: no usable model (see `message`). */
  state: z.enum(['idle', 'loading', 'ready', 'missing', 'failed']),
  /** The model folder, once found. */
  folder: z.string().nullable(),
  message: z.string().nullable(),
  /** The model download of this run (see `model.download`), or null when none was started. */
  download: modelDownload.nullable(),
});

/** One model of the catalogue or of the models home. */
const modelListing = z.object({
  id: z.string(),
  /** The catalogue's name for it; null for a model only imported. */
  name: z.string().nullable(),
  /** Whether it is the catalogue's default (what `model.download` fetches). */
  isDefault: z.boolean(),
  /** `partial`: a folder is there but something is missing (an interrupted download; see `problem`). */
  state: z.enum(['installed', 'partial', 'not-installed']),
  /** Bytes on disk, once installed. */
  size: z.number().nullable(),
  problem: z.string().nullable(),
  /** Whether this is the model the app uses (or would load). */
  inUse: z.boolean(),
});

/** A library opened recently in the desktop app. */
const recentLibrary = z.object({
  name: z.string(),
  path: z.string(),
  openedAt: z.number(),
  /** Whether it is still a library on this computer (a removed disk, a deleted folder). */
  exists: z.boolean(),
});

/**
 * The longest captions file a face may send, in characters. Sent as JSON, it must fit the server's 1 MiB message
 * limit with room for escaping; a thousand captions (the most `eval.captions` compares) take far less.
 */
export const MAX_CAPTIONS_CHARS = 768 * 1024;

/** 2D projections of the library's embeddings. */
export const PROJECTIONS = ['pca', 'umap', 'tsne'] as const;
/** Ways of grouping the library's embeddings. */
export const CLUSTERINGS = ['kmeans', 'dbscan', 'agglomerative'] as const;
/** How agglomerative clustering measures the distance between two groups (on cosine distance). */
export const LINKAGES = ['ward', 'average', 'complete'] as const;

const seed = z
  .int()
  .min(0)
  .max(2 ** 31 - 1);
/** Library-relative image paths chosen by a person (a map selection, a cluster). */
const fileSelection = z.array(libraryPath).min(1).max(20_000);

const mapPoint = z.object({
  file: z.string(),
  /** Where the image lies: waiting in `Images/`, a reference in `Classes/`, or sorted into `Dataset/`. */
  kind: z.enum(['inbox', 'reference', 'sorted']),
  /** The class its folder gives it (references and sorted images), or null for the inbox. */
  class: z.string().nullable(),
  /** The class the current mode ranks first, with its score and lead over the runner-up (null: no classes). */
  predicted: z.string().nullable(),
  score: nullableScore,
  margin: nullableScore,
  x: z.number(),
  y: z.number(),
});

/** Moves or copies made for a person, and the files that were left where they were, with why. */
const fileOutcome = z.object({
  done: z.array(z.object({ from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});

/** A square similarity matrix over labelled items, grouped by category. */
const groupedMatrix = z.object({
  labels: z.array(z.string()),
  categories: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});

/** The folders whose images `images.list` can page through. */
export const IMAGE_FOLDERS = ['Images', 'Classes', 'Dataset'] as const;

/** Declares one command: its input schema, its result schema, and a line for people. */
const command = <I extends z.ZodType, R extends z.ZodType>(description: string, input: I, result: R) => ({
  description,
  input,
  result,
});

/** Every command a face may send. */
export const commands = {
  'library.open': command(
    'open an existing library (only where the face may switch libraries)',
    z.strictObject({ path: folderPath }),
    z.object({ library: libraryInfo }),
  ),
  'library.init': command(
    'make a folder a library and open it (only where the face may switch libraries)',
    z.strictObject({ path: folderPath }),
    z.object({ library: libraryInfo, created: z.array(z.string()) }),
  ),
  'library.status': command(
    'what is in the inbox, waiting for review, sorted per class, and what failed',
    none,
    libraryStatusResult,
  ),
  'library.forget': command(
    'remove a library from the recent list (the folder itself is not touched)',
    z.strictObject({ path: folderPath }),
    z.object({ recentLibraries: z.array(recentLibrary) }),
  ),
  'app.info': command(
    'which face this is and what it may do, the open library (if any) and the recent ones; works with no library open',
    none,
    z.object({
      /**
       * `desktop`: the app, which picks, opens and creates libraries (`shell.pickFolder`, `library.open`,
       * `library.init`) and imports models; `browser`: `clipsort serve`, fixed to the library it was started on.
       */
      face: z.enum(['desktop', 'browser']),
      /** Whether `library.open`, `library.init` and `model.import` are allowed here. */
      canSwitchLibrary: z.boolean(),
      library: libraryInfo.nullable(),
      /** Most recent first (desktop only; empty in the browser). */
      recentLibraries: z.array(recentLibrary),
    }),
  ),
  'shell.pickFolder': command(
    "let the person choose a folder with the system's folder picker (desktop app only): the path, or null when cancelled",
    /** What the folder is for, which the picker's title says: a library (the default) or a model to import. */
    z.strictObject({ purpose: z.enum(['library', 'model']).optional() }),
    z.object({ path: z.string().nullable() }),
  ),
  'shell.showInFolder': command(
    "show a library file in the system's file manager (desktop app only)",
    z.strictObject({ path: libraryPath }),
    z.object({}),
  ),
  'classes.list': command(
    'the classes with their prompts, reference images and counts',
    none,
    z.object({
      classes: z.array(
        z.object({
          name: z.string(),
          /** The folder of its reference images, e.g. `Classes/beach`. */
          folder: z.string(),
          prompts: z.array(z.string()),
          /** Library-relative paths of the reference images. */
          references: z.array(z.string()),
          sorted: z.number(),
          /** What of its `prompt.txt` was left out and why (too long, not a regular file); absent when nothing. */
          notices: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
        }),
      ),
    }),
  ),
  'classes.create': command(
    'create a class folder (the name is made a safe folder name)',
    z.strictObject({ name: className }),
    z.object({ name: z.string(), folder: z.string(), created: z.boolean() }),
  ),
  'review.list': command('the images waiting for a decision', none, z.object({ items: z.array(reviewItem) })),
  'review.assign': command(
    'file an image under a class yourself (into Dataset/, or Classes/ as a reference image)',
    z.strictObject({ file: libraryPath, class: className, asReference: z.boolean().optional() }),
    z.object({ file: z.string(), to: z.string() }),
  ),
  'moves.recent': command(
    'the most recent moves, newest first',
    z.strictObject({ limit: z.int().min(1).max(1000).optional() }),
    z.object({ moves: z.array(moveItem) }),
  ),
  'moves.undo': command(
    'put moved images back: the last run (default), the last N runs, one batch, chosen moves (ids), or all',
    z
      .strictObject({
        last: z.int().min(1).max(10_000).optional(),
        all: z.literal(true).optional(),
        batch: z.string().min(1).max(100).optional(),
        /** Move ids from `moves.recent`: just those moves (e.g. one wrongly sorted image), if still undoable. */
        ids: z.array(z.int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(10_000).optional(),
      })
      .refine(
        (o) => [o.last, o.all, o.batch, o.ids].filter((v) => v !== undefined).length <= 1,
        'give at most one of last, all, batch and ids',
      ),
    z.object({
      restored: z.array(z.object({ from: z.string(), to: z.string() })),
      skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
    }),
  ),
  'sort.start': command(
    'keep sorting: images already in Images/ and every one that arrives',
    none,
    z.object({ sorting: z.boolean() }),
  ),
  'sort.stop': command(
    'stop sorting; moves in flight are finished first',
    none,
    z.object({ sorting: z.boolean() }),
  ),
  'settings.get': command('how images are classified and decided', none, settings),
  'settings.set': command(
    'change the mode, threshold or margin (null: back to the mode default), the quiet period before a new file is ' +
      'sorted (null: the default), threads (null: automatic) or provider; ' +
      'sorting restarts with them, and the model reloads for new threads or provider (an unavailable provider ' +
      'is refused with `provider-unavailable` and the previous one kept)',
    z.strictObject({
      mode: z.enum(MODES).optional(),
      threshold: z.number().min(-1).max(1).nullable().optional(),
      margin: z.number().min(0).max(2).nullable().optional(),
      quietSeconds: z.number().min(0).max(MAX_QUIET_SECONDS).nullable().optional(),
      threads: z.int().min(1).max(1024).nullable().optional(),
      provider: z.enum(EXECUTION_PROVIDERS).optional(),
    }),
    settings,
  ),
  'model.status': command(
    'whether the CLIP model is found and loaded, the models installed, and the download in progress',
    none,
    modelStatus.extend({
      /** Where downloaded and imported models live. */
      modelsHome: z.string(),
      /** The catalogue's models and any other model in the models home. */
      models: z.array(modelListing),
    }),
  ),
  'model.download': command(
    'download the default model in the background (resumes an interrupted download); progress comes as ' +
      '`model-download` events, then `model` events; a second call while one runs starts nothing',
    none,
    z.object({ model: z.string(), started: z.boolean() }),
  ),
  'model.cancelDownload': command(
    'stop the download in progress (what is fetched so far is kept, to resume later)',
    none,
    z.object({ cancelled: z.boolean() }),
  ),
  'model.import': command(
    'copy a model folder (transformers.js layout) into the models home and use it (only where the face may ' +
      'switch libraries); replace: true replaces an installed model of the same name',
    z.strictObject({ path: folderPath, id: modelId.optional(), replace: z.boolean().optional() }),
    z.object({ model: z.string(), folder: z.string(), files: z.number() }),
  ),
  'images.list': command(
    'image files under Images/, Classes/ or Dataset/, a page at a time',
    z.strictObject({
      folder: z.enum(IMAGE_FOLDERS),
      offset: z.int().min(0).max(10_000_000).optional(),
      limit: z.int().min(1).max(1000).optional(),
    }),
    z.object({ total: z.number(), images: z.array(z.string()) }),
  ),
  'map.points': command(
    'the 2D projection of every embedded image (inbox, references, sorted), with its folder class and prediction',
    z.strictObject({ method: z.enum(PROJECTIONS).optional(), seed: seed.optional() }),
    z.object({
      method: z.enum(PROJECTIONS),
      seed: z.number(),
      /** Embedded images in the library. */
      total: z.number(),
      /** Images the projection was fitted on; below `total` when UMAP or t-SNE subsampled a large library. */
      fitted: z.number(),
      /** Whether the projection came from the cache (it is kept until the library's embeddings change). */
      cached: z.boolean(),
      /** PCA: the share of variance each axis explains; null for the other methods. */
      explained: z.array(z.number()).nullable(),
      points: z.array(mapPoint),
    }),
  ),
  'clusters.run': command(
    "group the library's images: k-means (k), DBSCAN (eps, minPts) or agglomerative (k, linkage), on cosine distance",
    z.strictObject({
      method: z.enum(CLUSTERINGS),
      k: z.int().min(2).max(100).optional(),
      eps: z.number().gt(0).max(2).optional(),
      minPts: z.int().min(1).max(1000).optional(),
      linkage: z.enum(LINKAGES).optional(),
      seed: seed.optional(),
    }),
    z.object({
      method: z.enum(CLUSTERINGS),
      /** Clusters, largest first; ids are the order here. */
      clusters: z.array(z.object({ id: z.number(), files: z.array(z.string()) })),
      /** DBSCAN's noise points (in no cluster). */
      noise: z.array(z.string()),
      /** Mean silhouette on cosine distance (null when fewer than two clusters). */
      silhouette: nullableScore,
    }),
  ),
  'clusters.elbow': command(
    'k-means inertia and mean silhouette for each k, to choose k',
    z.strictObject({
      kMin: z.int().min(2).max(100).optional(),
      kMax: z.int().min(2).max(100).optional(),
      seed: seed.optional(),
    }),
    z.object({
      points: z.array(z.object({ k: z.number(), inertia: z.number(), silhouette: nullableScore })),
    }),
  ),
  'clusters.kDistance': command(
    "each image's distance to its minPts-th neighbour, sorted, and the eps the curve's knee suggests for DBSCAN",
    z.strictObject({ minPts: z.int().min(1).max(1000).optional() }),
    z.object({ minPts: z.number(), distances: z.array(z.number()), suggestedEps: z.number() }),
  ),
  'classes.fromFiles': command(
    'make a class from chosen images: copies them into Classes/<name>/ as references (moves them with move: true)',
    z.strictObject({ name: className, files: fileSelection, move: z.boolean().optional() }),
    fileOutcome.extend({
      name: z.string(),
      folder: z.string(),
      created: z.boolean(),
      /** With move: true, the batch of the moves (for `moves.undo`), or null when nothing moved. */
      batch: z.string().nullable(),
    }),
  ),
  'files.move': command(
    'move chosen images into Dataset/<class>/ in one undoable batch',
    z.strictObject({ files: fileSelection, class: className }),
    fileOutcome.extend({ batch: z.string().nullable() }),
  ),
  'eval.captions': command(
    'how well images match their captions: a captions file (CSV filename,category,caption or JSON) against images in a library folder',
    z.strictObject({
      /** The captions file's text. */
      captions: z.string().min(1).max(MAX_CAPTIONS_CHARS),
      /** The file's name, to tell CSV from JSON by its extension (otherwise by its content). */
      name: z.string().max(MAX_NAME).optional(),
      /** Where the images are, by file name directly inside or in `<category>/` subfolders; default `Dataset`. */
      folder: libraryPath.optional(),
    }),
    z.object({
      /** Library-relative paths of the images found, one per caption row, in the file's order. */
      images: z.array(z.string()),
      captions: z.array(z.string()),
      categories: z.array(z.string()),
      /** Cosine similarity, images × captions. */
      matrix: z.array(z.array(z.number())),
      /** Shares (0–1) of images whose own caption ranks first / in the first five, and of captions whose image ranks first. */
      top1: z.number(),
      top5: z.number(),
      captionTop1: z.number(),
      captionTop5: z.number(),
      /** Mean similarity of matching pairs and of all other pairs. */
      diagonal: z.number(),
      offDiagonal: z.number(),
      /** Rows of the file whose image was not found, or could not be read, with why. */
      missing: z.array(z.object({ file: z.string(), reason: z.string() })),
      /** Image × image and caption × caption similarity, rows grouped by category. */
      imageMatrix: groupedMatrix,
      textMatrix: groupedMatrix,
    }),
  ),
  'eval.classes': command(
    'leave-one-out accuracy of every mode over the reference images, a confusion matrix per mode, and the mode to use',
    none,
    z.object({
      classes: z.array(z.string()),
      references: z.number(),
      /** How many parts the references were split into: `references` itself means leave-one-out. */
      folds: z.number(),
      /** Accuracy (0–1) per mode; null with nothing to tell apart (under two classes, or no references). */
      modes: z.record(z.enum(MODES), nullableScore),
      recommended: z.enum(MODES).nullable(),
      /** Per mode: rows are the true class, columns the predicted one, in `classes` order. */
      confusion: z.record(z.enum(MODES), z.array(z.array(z.number()))),
      /** Classes with a single reference: while it is left out, the class is scored by its prompt. */
      single: z.array(z.string()),
    }),
  ),
  'search.text': command(
    'the images closest to a text ("dog on a beach"), best first',
    z.strictObject({ text: z.string().trim().min(1).max(1000), limit: z.int().min(1).max(1000).optional() }),
    z.object({ results: z.array(z.object({ file: z.string(), score })) }),
  ),
  'search.duplicates': command(
    'groups of images whose embeddings are at least `threshold` cosine-similar (near-duplicates)',
    z.strictObject({ threshold: z.number().min(0.5).max(1).optional() }),
    z.object({
      threshold: z.number(),
      groups: z.array(z.object({ files: z.array(z.string()), similarity: score })),
    }),
  ),
} as const;

export type CommandName = keyof typeof commands;
/** What a caller passes (optional fields may be left out). */
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]['input']>;
/** What a handler receives, after validation. */
export type ParsedInput<N extends CommandName> = z.output<(typeof commands)[N]['input']>;
export type CommandResult<N extends CommandName> = z.output<(typeof commands)[N]['result']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** Every event the engine pushes. */
export const events = {
  /** An image was moved into its class. */
  sorted: z.object({ file: z.string(), class: z.string(), to: z.string(), score, margin: score }),
  /** An image waits for a person. */
  review: z.object({ file: z.string(), best: z.string(), score, margin: score, top: z.array(classScore) }),
  /** Something failed: one image (`file`) or the service. */
  error: z.object({ file: z.string().nullable(), code: z.string(), message: z.string() }),
  /** Images handed to the sorter since sorting started, those finished, and the recent rate. */
  progress: z.object({ queued: z.number(), done: z.number(), perSecond: z.number() }),
  /** The classes were re-read (Classes/ changed). */
  classes: z.object({ names: z.array(z.string()) }),
  /** Sorting started or stopped. */
  sorting: z.object({ sorting: z.boolean() }),
  model: modelStatus,
  /** A model file downloading. */
  'model-download': z.object({
    model: z.string(),
    file: z.string(),
    received: z.number(),
    total: z.number(),
  }),
  /** Something a person should know that is about no one image (polling fallback, a folder missing). */
  notice: z.object({ message: z.string() }),
} as const;

export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;
/** One pushed event, as it travels. */
export type ApiEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];

/** One problem with a payload: where (`path`, dotted) and what. */
export interface InputIssue {
  path: string;
  message: string;
}

/** What a failed command answers. `invalid-input` lists its issues; other codes are the engine's. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues?: InputIssue[];
}

/** A command's failure, as the client throws it. */
export class ApiError extends Error {
  readonly code: string;
  readonly issues: InputIssue[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }
}

/** The issues of a failed parse, as plain data. */
export function describeIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Checks `input` against a command's schema: the parsed input, or the error to answer with. */
export function parseInput<N extends CommandName>(
  name: N,
  input: unknown,
): { ok: true; input: ParsedInput<N> } | { ok: false; error: ApiErrorBody } {
  const parsed = commands[name].input.safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data as ParsedInput<N> };
  const issues = describeIssues(parsed.error);
  const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, error: { code: 'invalid-input', message: `${name}: ${list}`, issues } };
}

/** A command sent over the WebSocket. */
export const socketRequest = z.strictObject({
  id: z.union([z.int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(100)]),
  command: z.string().min(1).max(100),
  input: z.unknown().optional(),
});
export type SocketRequest = z.output<typeof socketRequest>;

/** What travels from the server over the WebSocket: an answer to a request, or an event. */
export type SocketMessage =
  | { id: SocketRequest['id'] | null; result: unknown }
  | { id: SocketRequest['id'] | null; error: ApiErrorBody }
  | ApiEvent;
