/**
 * The one list of what a face may ask of the engine, and of what the engine tells it. Each command has a zod
 * schema for its input and one for its result; each event, one for its data. Electron IPC, the HTTP/WebSocket
 * server and the renderer's client are all derived from these tables. This module imports nothing but zod: the
 * renderer imports it too.
 */
import { z } from 'zod';

/** Classification modes (the engine's `MODES`; handlers check at compile time that both agree). */
export const MODES = ['avg', 'max', 'text', 'hybrid', 'probe'] as const;

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
  /** Files that could not be used, with the reason. */
  errors: z.array(z.object({ file: z.string(), error: z.string() })),
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

const settings = z.object({
  mode: z.enum(MODES),
  /** Lowest score that sorts an image. */
  threshold: z.number(),
  /** Lowest lead over the runner-up that sorts an image. */
  margin: z.number(),
  /** The mode's own threshold and margin, used where none is set. */
  defaults: z.object({ threshold: z.number(), margin: z.number() }),
});

const modelStatus = z.object({
  /** `idle`: found or not yet looked for, not loaded; `missing`: no usable model (see `message`). */
  state: z.enum(['idle', 'loading', 'ready', 'missing', 'failed']),
  /** The model folder, once found. */
  folder: z.string().nullable(),
  message: z.string().nullable(),
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
    'put moved images back: the last run (default), the last N runs, one batch, or all',
    z
      .strictObject({
        last: z.int().min(1).max(10_000).optional(),
        all: z.literal(true).optional(),
        batch: z.string().min(1).max(100).optional(),
      })
      .refine(
        (o) => [o.last, o.all, o.batch].filter((v) => v !== undefined).length <= 1,
        'give at most one of last, all and batch',
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
    'change the mode, threshold or margin (null: back to the mode default); sorting restarts with them',
    z.strictObject({
      mode: z.enum(MODES).optional(),
      threshold: z.number().min(-1).max(1).nullable().optional(),
      margin: z.number().min(0).max(2).nullable().optional(),
    }),
    settings,
  ),
  'model.status': command('whether the CLIP model is found and loaded', none, modelStatus),
  'images.list': command(
    'image files under Images/, Classes/ or Dataset/, a page at a time',
    z.strictObject({
      folder: z.enum(IMAGE_FOLDERS),
      offset: z.int().min(0).max(10_000_000).optional(),
      limit: z.int().min(1).max(1000).optional(),
    }),
    z.object({ total: z.number(), images: z.array(z.string()) }),
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
