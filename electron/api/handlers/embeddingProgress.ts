/** Embedding progress as events, at a rate a page and a terminal can follow whatever the library's size. */
import type { Emit } from '../state/sortService.js';

const EVERY_MS = 200;

/** An `onProgress` for the engine that pushes `embedding` events: the first, at most one per 200 ms, the last. */
export function embeddingProgress(emit: Emit): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done !== 0 && done !== total && now - last < EVERY_MS) return;
    last = now;
    emit('embedding', { done, total });
  };
}
