/**
 * The library and the app: opening and creating libraries, what is in one, its classes and images, the recent
 * libraries, and what the desktop shell answers.
 */
import { z } from 'zod';
import { className, command, folderPath, libraryPath, none } from './schemas.js';

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
  /** Videos in `Images/`: left there, unsorted (ClipSort sorts photos), never an error. */
  videos: z.number(),
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

/** A library opened recently in the desktop app. */
const recentLibrary = z.object({
  name: z.string(),
  path: z.string(),
  openedAt: z.number(),
  /** Whether it is still a library on this computer (a removed disk, a deleted folder). */
  exists: z.boolean(),
});

/** The folders whose images `images.list` can page through. */
export const IMAGE_FOLDERS = ['Images', 'Classes', 'Dataset'] as const;

export const libraryCommands = {
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
