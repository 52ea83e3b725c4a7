/**
 * A model about to be used embeds the open library first, so that sorting, search and the map are ready with it
 * the moment it takes over; the model in use keeps sorting meanwhile. Images it embedded before (switching back
 * to a model) count at once.
 */
import path from 'node:path';
import { embedFiles } from '../../engine/embedding/embedFiles.js';
import { libraryImageFiles } from '../../engine/evaluate/libraryVectors.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import type { LibrarySession } from './librarySession.js';
import type { Emit } from './sortService.js';

const EVERY_MS = 200;

/** Embeds every image of `session`'s library with `model`, pushing `model-catchup` events as it goes. */
export async function catchUpLibrary(session: LibrarySession, model: ClipModel, emit: Emit): Promise<void> {
  const files = await libraryImageFiles(session.root);
  const folder = path.resolve(model.modelDir);
  const started = Date.now();
  let last = 0;
  await embedFiles(session.root, files, model, session.index, {
    onProgress: (done, total) => {
      const now = Date.now();
      if (done !== total && now - last < EVERY_MS) return;
      last = now;
      const seconds = (now - started) / 1000;
      // Images embedded before count at once, so the rate settles as the new ones go: an estimate, said as one.
      const perSecond = seconds > 0.5 ? done / seconds : null;
      const secondsLeft = perSecond ? (total - done) / perSecond : done === total ? 0 : null;
      emit('model-catchup', { folder, done, total, perSecond, secondsLeft });
    },
  });
  // An empty library has nothing to report as it goes: say once that it is done.
  if (files.length === 0)
    emit('model-catchup', { folder, done: 0, total: 0, perSecond: null, secondsLeft: 0 });
}
