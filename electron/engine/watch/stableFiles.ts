/**
 * Decides when a file is complete: its size and mtime have not changed for `stableMs`, and no download companion
 * (`photo.jpg.part` beside `photo.jpg`) is left. One polling loop looks at every candidate with a few concurrent
 * lstat calls: a file costs about two of them, however many events or scans point at it.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage, isMissingError } from '../errors.js';
import { groupOf, isGroupedName, namesByStem, stemKey, type FileGroup } from '../library/fileGroups.js';
import { downloadTarget, hasDownloadCompanion } from '../library/ignoredNames.js';

/** What the watcher reports about a complete file. */
export interface FileStats {
  size: number;
  mtimeMs: number;
}

export interface StableFilesOptions {
  /** How long size and mtime must stay the same. */
  stableMs: number;
  /** How often the loop wakes while there are candidates. */
  pollMs: number;
  /** How many lstat calls run at once. */
  statConcurrency: number;
  /** The absolute path of a candidate's key. */
  resolve(key: string): string;
  /**
   * The folder the candidates live in. While it is missing (an unmounted disk), files that are not found are not
   * forgotten: their reports stand, and they are not reported again when they come back unchanged.
   */
  anchor: string;
  /**
   * True for a complete file that is not to be reported (it lies in another library): asked once per state, as
   * `onStable` would be.
   */
  excluded(key: string): Promise<boolean>;
  /** A file is complete (once per key, size and mtime). */
  onStable(key: string, stats: FileStats): void;
  onError(error: Error): void;
}

interface Candidate {
  /** When to look at it next (ms since the epoch). */
  due: number;
  /** What the last look saw; absent before the first. */
  seen?: FileStats;
  /** When the last look saw a change. */
  changedAt: number;
  /** Consecutive looks that failed with something other than "gone". */
  failures: number;
  /** When an event last pointed at it (a look already under way must not swallow that). */
  offeredAt: number;
}

/**
 * A folder's names, as the report step needs them: lower-cased (download companions), by group stem, and the
 * stems of files still being downloaded into it (a Live Photo's video that is not there yet).
 */
interface FolderListing {
  lower: ReadonlySet<string>;
  byStem: ReadonlyMap<string, string[]>;
  downloading: ReadonlySet<string>;
}

function folderListing(names: readonly string[]): FolderListing {
  const downloading = new Set<string>();
  for (const name of names) {
    const target = downloadTarget(name);
    if (target !== undefined && isGroupedName(target)) downloading.add(stemKey(target));
  }
  return { lower: new Set(names.map((name) => name.toLowerCase())), byStem: namesByStem(names), downloading };
}

/** Looks that may fail in a row (a file locked while it is copied, a flaky share) before the file is given up. */
const MAX_FAILURES = 10;

const sameStats = (a: FileStats, b: FileStats) => a.size === b.size && a.mtimeMs === b.mtimeMs;

/** Runs `fn` over `items`, at most `limit` at a time. */
async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Candidate files, the one loop that looks at them, and what has been reported (to report each state once). */
export class StableFiles {
  readonly #options: StableFilesOptions;
  readonly #candidates = new Map<string, Candidate>();
  /** Size and mtime last reported per key: reported again only when they change. */
  readonly #reported = new Map<string, FileStats>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #closed = false;

  constructor(options: StableFilesOptions) {
    this.#options = options;
  }

  /** Files waiting to become stable. */
  get pending(): number {
    return this.#candidates.size;
  }

  /** An event says `key` changed (or appeared, or went): look at it at the next tick. */
  offer(key: string): void {
    const candidate = this.#candidates.get(key);
    const now = Date.now();
    if (candidate) {
      candidate.due = 0;
      candidate.offeredAt = now;
    } else this.#candidates.set(key, { due: 0, changedAt: 0, failures: 0, offeredAt: now });
    this.#schedule();
  }

  /** A scan found `key`: look at it unless it is already being looked at. */
  offerIfNew(key: string): void {
    if (!this.#candidates.has(key)) this.offer(key);
  }

  /** Looks again at reported keys `keep` rejects (gone from a scan, or under a removed folder); the gone are forgotten. */
  recheckReported(keep: (key: string) => boolean): void {
    for (const key of this.#reported.keys()) if (!keep(key)) this.offerIfNew(key);
  }

  /** Stops the loop; resolves when a look in progress has finished. Nothing is reported afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }

  #schedule(): void {
    if (this.#closed || this.#timer || this.#ticking || this.#candidates.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = undefined;
        this.#schedule();
      });
    }, this.#options.pollMs);
  }

  async #tick(): Promise<void> {
    const now = Date.now();
    const due = [...this.#candidates].filter(([, candidate]) => candidate.due <= now);
    const stable: [string, Candidate, FileStats][] = [];
    await forEachLimit(due, this.#options.statConcurrency, async ([key, candidate]) => {
      const startedAt = Date.now();
      const stats = await this.#look(key, candidate);
      if (candidate.offeredAt >= startedAt && this.#candidates.get(key) === candidate) candidate.due = 0;
      else if (stats) stable.push([key, candidate, stats]);
    });
    if (stable.length > 0) await this.#reportUnlessDownloading(stable);
  }

  /** Looks at one candidate; returns its stats when it has just become stable. */
  async #look(key: string, candidate: Candidate): Promise<FileStats | undefined> {
    const { stableMs } = this.#options;
    let found;
    try {
      found = await lstat(this.#options.resolve(key));
    } catch (error) {
      if (isMissingError(error)) {
        if (await this.#anchorPresent()) this.#forget(key, candidate);
        else if (this.#candidates.get(key) === candidate) this.#candidates.delete(key);
      } else if (++candidate.failures >= MAX_FAILURES) {
        this.#forget(key, candidate);
        this.#fail(
          new ClipSortError('file-unreadable', `${key} cannot be read (${errorMessage(error)}).`, {
            cause: error,
          }),
        );
      } else {
        candidate.due = Date.now() + stableMs;
      }
      return undefined;
    }
    candidate.failures = 0;
    if (!found.isFile() && !found.isSymbolicLink()) {
      this.#forget(key, candidate); // a folder, pipe or device with an image's name
      return undefined;
    }
    const stats: FileStats = { size: found.size, mtimeMs: found.mtimeMs };
    const reported = this.#reported.get(key);
    const now = Date.now();
    if (!candidate.seen || !sameStats(candidate.seen, stats)) {
      if (!candidate.seen && reported && sameStats(reported, stats)) {
        this.#candidates.delete(key); // an event or a scan about a file already reported as it is
        return undefined;
      }
      candidate.seen = stats;
      candidate.changedAt = now;
      candidate.due = now + stableMs;
      return undefined;
    }
    if (now - candidate.changedAt < stableMs) {
      candidate.due = candidate.changedAt + stableMs;
      return undefined;
    }
    if (reported && sameStats(reported, stats)) {
      this.#candidates.delete(key);
      return undefined;
    }
    return stats;
  }

  /**
   * Reports stable files, except excluded ones and those a download is still writing (one readdir per folder).
   * Of a group (see fileGroups.ts) only the photo is reported, once every other member is settled too: a camera
   * import writes the RAW after the JPEG, and the group moves as one. A member that is not the photo hands the
   * look over to it; a video or sidecar with no photo is not reported.
   */
  async #reportUnlessDownloading(stable: [string, Candidate, FileStats][]): Promise<void> {
    const folders = new Map<string, Promise<FolderListing | undefined>>();
    const listingOf = (folder: string) => {
      let listing = folders.get(folder);
      if (!listing) {
        listing = readdir(folder).then(folderListing, () => undefined);
        folders.set(folder, listing);
      }
      return listing;
    };
    for (const [key, candidate, stats] of stable) {
      const file = this.#options.resolve(key);
      const name = path.basename(file);
      const listing = await listingOf(path.dirname(file));
      const excluded = await this.#options.excluded(key);
      if (this.#closed) return;
      if (this.#candidates.get(key) !== candidate) continue; // replaced meanwhile
      const group = groupOf(name, listing?.byStem.get(stemKey(name)) ?? []);
      if (group?.primary !== name) {
        this.#candidates.delete(key);
        if (group) this.offerIfNew(path.posix.join(path.posix.dirname(key), group.primary));
        continue;
      }
      if (!excluded && listing && !(await this.#settled(file, group, listing))) {
        candidate.due = Date.now() + this.#options.stableMs;
        continue;
      }
      this.#candidates.delete(key);
      this.#reported.set(key, stats);
      if (excluded) continue;
      try {
        this.#options.onStable(key, stats);
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /**
   * True when no member of the photo's group is being downloaded (nor a file that will be one), and none changed (content or metadata) within
   * the stable period. Members are not watched one by one: their ctime says when anything last wrote to them.
   */
  async #settled(file: string, group: FileGroup, listing: FolderListing): Promise<boolean> {
    if (listing.downloading.has(stemKey(group.primary))) return false;
    const now = Date.now();
    for (const name of [group.primary, ...group.companions]) {
      if (hasDownloadCompanion(name, listing.lower)) return false;
      if (name === group.primary) continue;
      const stats = await lstat(path.join(path.dirname(file), name)).catch(() => undefined);
      if (stats && now - Math.max(stats.mtimeMs, stats.ctimeMs) < this.#options.stableMs) return false;
    }
    return true;
  }

  async #anchorPresent(): Promise<boolean> {
    try {
      await lstat(this.#options.anchor);
      return true;
    } catch (error) {
      return !isMissingError(error);
    }
  }

  #forget(key: string, candidate: Candidate): void {
    if (this.#candidates.get(key) === candidate) this.#candidates.delete(key);
    this.#reported.delete(key);
  }

  #fail(error: Error): void {
    if (!this.#closed) this.#options.onError(error);
  }
}
