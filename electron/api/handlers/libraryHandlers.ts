/** Opening and creating libraries, what is in one, and its classes and images. */
import { stat } from 'node:fs/promises';
import { readClassFolders } from '../../engine/library/classFolders.js';
import { listImageFiles } from '../../engine/library/imageFiles.js';
import { resolveLibraryPath } from '../../engine/library/libraryPaths.js';
import { libraryStatus } from '../../engine/sorting/libraryStatus.js';
import { ensureClassFolder } from './classFolders.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

const DEFAULT_PAGE = 200;

export const libraryHandlers: HandlersFor<
  'library.open' | 'library.init' | 'library.status' | 'classes.list' | 'classes.create' | 'images.list',
  Pick<HandlerContext, 'library' | 'switchLibrary'>
> = {
  async 'library.open'({ path: folder }, context) {
    const { session } = await context.switchLibrary(folder, false);
    return { library: session.info };
  },

  async 'library.init'({ path: folder }, context) {
    const { session, created } = await context.switchLibrary(folder, true);
    return { library: session.info, created };
  },

  async 'library.status'(_input, context) {
    const library = context.library();
    const status = await libraryStatus(library.root, library.index);
    return {
      library: library.info,
      ...status,
      sorting: library.sort.sorting,
      unsettledMoves: library.unsettledMoves,
    };
  },

  async 'classes.list'(_input, context) {
    const { root, index } = context.library();
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

  'classes.create'({ name }, context) {
    return ensureClassFolder(context.library().root, name);
  },

  async 'images.list'({ folder, offset = 0, limit = DEFAULT_PAGE }, context) {
    const { root } = context.library();
    const absolute = resolveLibraryPath(root, folder);
    const exists = await stat(absolute).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const all = exists ? await listImageFiles(root, absolute) : [];
    return { total: all.length, images: all.slice(offset, offset + limit) };
  },
};
