/**
 * The engine side of the contract: one function per command. Each receives input its schema has already
 * accepted (see dispatch.ts) and returns plain JSON with library-relative paths.
 */
import { stat } from 'node:fs/promises';
import { ClipSortError } from '../engine/errors.js';
import { readClassFolders } from '../engine/library/classFolders.js';
import { listImageFiles } from '../engine/library/imageFiles.js';
import { resolveLibraryPath } from '../engine/library/libraryPaths.js';
import { librarySegments, sanitiseClassName } from '../engine/library/safePaths.js';
import { moveFile } from '../engine/move/fileMover.js';
import { newBatchId } from '../engine/store/moveJournal.js';
import { undoMoves } from '../engine/move/undoMoves.js';
import { holdRestored } from '../engine/sorting/holdRestored.js';
import { libraryStatus } from '../engine/sorting/libraryStatus.js';
import type { ApiService } from './apiService.js';
import { analysisHandlers } from './analysisHandlers.js';
import { appHandlers } from './appHandlers.js';
import type { CommandName, CommandResult, ParsedInput } from './contract.js';
import { evaluateHandlers } from './evaluateHandlers.js';
import { ensureClassFolder, fileHandlers } from './fileHandlers.js';
import { applyChange, effectiveSettings, writeSettings } from './settingsFile.js';

export type Handler<N extends CommandName> = (
  input: ParsedInput<N>,
  api: ApiService,
) => Promise<CommandResult<N>>;

/** The handler table: the compiler checks that every command has one, with the contract's types. */
export type Handlers = { [N in CommandName]: Handler<N> };

const DEFAULT_RECENT = 100;
const DEFAULT_PAGE = 200;

/** A library-relative path from a face, in the canonical form the index uses (`./a//b` → `a/b`). */
function canonical(relative: string): string {
  const segments = librarySegments(relative);
  if (!segments) {
    throw new ClipSortError('path-outside-library', `${relative}: this path leads outside the library.`);
  }
  return segments.join('/');
}

export const handlers: Handlers = {
  ...appHandlers,
  ...fileHandlers,
  ...evaluateHandlers,
  ...analysisHandlers,
  async 'library.open'({ path: folder }, api) {
    const { session } = await api.switchLibrary(folder, false);
    return { library: session.info };
  },

  async 'library.init'({ path: folder }, api) {
    const { session, created } = await api.switchLibrary(folder, true);
    return { library: session.info, created };
  },

  async 'library.status'(_input, api) {
    const library = api.library();
    const status = await libraryStatus(library.root, library.index);
    return {
      library: library.info,
      ...status,
      sorting: library.sort.sorting,
      unsettledMoves: library.unsettledMoves,
    };
  },

  async 'classes.list'(_input, api) {
    const { root, index } = api.library();
    const [folders, status] = await Promise.all([readClassFolders(root), libraryStatus(root, index)]);
    const sorted = new Map(status.classes.map((c) => [c.name, c.sorted]));
    return {
      classes: folders.map((c) => ({
        name: c.name,
        folder: `Classes/${c.name}`,
        prompts: c.prompts,
        references: c.references,
        sorted: sorted.get(c.name) ?? 0,
        ...(c.notices.length > 0 ? { notices: c.notices } : {}),
      })),
    };
  },

  'classes.create'({ name }, api) {
    return ensureClassFolder(api.library().root, name);
  },

  'review.list'(_input, api) {
    return Promise.resolve({ items: api.library().index.review.entries() });
  },

  async 'review.assign'({ file, class: name, asReference }, api) {
    const { root, index } = api.library();
    const from = canonical(file);
    const moved = await moveFile(root, index, {
      from,
      toFolder: `${asReference ? 'Classes' : 'Dataset'}/${sanitiseClassName(name)}`,
      kind: 'assign',
      batch: newBatchId(),
    });
    index.review.delete(from);
    return { file: moved.from, to: moved.to };
  },

  async 'moves.recent'({ limit }, api) {
    const moves = api
      .library()
      .index.moves.recent(limit ?? DEFAULT_RECENT)
      .map((m) => ({
        id: m.id,
        batch: m.batch,
        kind: m.kind,
        state: m.state,
        source: m.source,
        destination: m.destination,
        error: m.error,
        plannedAt: m.plannedAt,
        finishedAt: m.finishedAt,
      }));
    return Promise.resolve({ moves });
  },

  async 'moves.undo'({ last, all, batch, ids }, api) {
    const { root, index } = api.library();
    const report = await undoMoves(root, index, { last, all, batch, ids });
    holdRestored(index, report.restored);
    return {
      restored: report.restored.map(({ from, to }) => ({ from, to })),
      skipped: report.skipped.map(({ path: file, message }) => ({ file, reason: message })),
    };
  },

  async 'sort.start'(_input, api) {
    return { sorting: await api.library().sort.start() };
  },

  async 'sort.stop'(_input, api) {
    return { sorting: await api.library().sort.stop() };
  },

  async 'settings.get'(_input, api) {
    return effectiveSettings(api.library().settings, await api.model.runtime());
  },

  async 'settings.set'(change, api) {
    const library = api.library();
    // The model first: an unavailable provider is refused before anything else changes.
    await api.setRuntime({ threads: change.threads, provider: change.provider });
    const next = applyChange(library.settings, change);
    await writeSettings(library.root, next);
    library.settings = next;
    await library.sort.restart();
    return effectiveSettings(next, await api.model.runtime());
  },

  'model.status'(_input, api) {
    return api.model.report();
  },

  async 'images.list'({ folder, offset = 0, limit = DEFAULT_PAGE }, api) {
    const { root } = api.library();
    const absolute = resolveLibraryPath(root, folder);
    const exists = await stat(absolute).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const all = exists ? await listImageFiles(root, absolute) : [];
    return { total: all.length, images: all.slice(offset, offset + limit) };
  },
};
