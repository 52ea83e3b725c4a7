/**
 * Thumbnails for the zoomed-in map: loaded lazily, a few at a time, for the points on screen now, and kept in a
 * bounded least-recently-used cache so that panning back is instant and memory stays flat on a large library.
 */

export interface ThumbnailCacheOptions<T> {
  /** Starts loading `file`'s thumbnail; calls `done` once, with whether it loaded. */
  load: (file: string, done: (ok: boolean) => void) => T;
  /** Loaded thumbnails kept. */
  capacity: number;
  /** Loads in flight at once. */
  parallel: number;
  /** Called when a thumbnail arrives, to draw it. */
  loaded: () => void;
}

export class ThumbnailCache<T> {
  /** Loaded, least recently used first (a Map keeps insertion order). */
  #ready = new Map<string, T>();
  #inFlight = new Set<string>();
  #failed = new Set<string>();
  #queue: string[] = [];
  #options: ThumbnailCacheOptions<T>;

  constructor(options: ThumbnailCacheOptions<T>) {
    this.#options = options;
  }

  /**
   * The loaded thumbnails of `files` (most wanted first), by file. The rest are queued in that order, replacing
   * what an earlier call queued: only what is on screen now is worth loading.
   */
  want(files: readonly string[]): Map<string, T> {
    const found = new Map<string, T>();
    this.#queue = [];
    for (const file of files) {
      const image = this.#ready.get(file);
      if (image !== undefined) {
        this.#ready.delete(file);
        this.#ready.set(file, image);
        found.set(file, image);
      } else if (!this.#inFlight.has(file) && !this.#failed.has(file)) {
        this.#queue.push(file);
      }
    }
    this.#pump();
    return found;
  }

  /** Loaded thumbnails held now. */
  get size(): number {
    return this.#ready.size;
  }

  #pump() {
    while (this.#inFlight.size < this.#options.parallel && this.#queue.length > 0) {
      const file = this.#queue.shift()!;
      this.#inFlight.add(file);
      // Settled a microtask later, so that `image` is set even where `load` calls back before returning.
      const image: T = this.#options.load(file, (ok) => queueMicrotask(() => this.#settle(file, image, ok)));
    }
  }

  #settle(file: string, image: T, ok: boolean) {
    this.#inFlight.delete(file);
    if (ok) this.#keep(file, image);
    else this.#failed.add(file);
    this.#pump();
    if (ok) this.#options.loaded();
  }

  #keep(file: string, image: T) {
    this.#ready.set(file, image);
    for (const oldest of this.#ready.keys()) {
      if (this.#ready.size <= this.#options.capacity) break;
      this.#ready.delete(oldest);
    }
  }
}
