/**
 * The names already in destination folders, listed once and kept while the folder does not change, so that
 * sorting thousands of files into one folder does not list it once per file. The listing is only a hint for
 * choosing a free name: the hard link that claims the name fails with EEXIST when it is taken, whatever we believed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../fs/durable.js';
import { nameKey, takenKeys } from './freeName.js';

interface Listing {
  version: string;
  keys: Set<string>;
}

export class FolderNames {
  private readonly listings = new Map<string, Listing>();

  /** Keys (see `nameKey`) of the names in `folder` now. */
  async taken(folder: string): Promise<Set<string>> {
    const version = await this.version(folder);
    const cached = this.listings.get(folder);
    if (cached?.version === version) return cached.keys;
    const keys = takenKeys(await fs.readdir(folder));
    this.listings.set(folder, { version, keys });
    return keys;
  }

  /** We created `name` in `folder`: remember it without listing the folder again. */
  async added(folder: string, name: string): Promise<void> {
    const cached = this.listings.get(folder);
    if (!cached) return;
    cached.keys.add(nameKey(name));
    cached.version = await this.version(folder);
  }

  /** Forget what we know of `folder` (a name left it). */
  forget(folder: string): void {
    this.listings.delete(folder);
  }

  private async version(folder: string): Promise<string> {
    const stats = await fs.stat(folder, { bigint: true });
    return `${stats.dev}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`;
  }
}

/** Creates `folder` and any missing parents, flushing each new entry to disk so that a crash cannot lose it. */
export async function ensureFolder(folder: string): Promise<void> {
  const first = await fs.mkdir(folder, { recursive: true });
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    created.push(dir);
    if (dir === first || path.dirname(dir) === dir) break;
  }
  for (const dir of created) await fsyncDir(path.dirname(dir));
}
