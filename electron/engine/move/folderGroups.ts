/**
 * The groups (see fileGroups.ts) of source folders, listed once and kept while the folder does not change, as
 * `FolderNames` keeps destination folders: sorting an inbox of thousands of files then lists it once, not once
 * per file.
 */
import fs from 'node:fs/promises';
import { groupOf, namesByStem, stemKey } from '../library/fileGroups.js';

interface Listing {
  version: string;
  /** The folder's grouped names by `stemKey`. */
  byStem: Map<string, string[]>;
}

export class FolderGroups {
  private readonly listings = new Map<string, Listing>();

  /** The other members of the group of `name` (an entry of `folder`), as names in `folder`. */
  async companionsOf(folder: string, name: string): Promise<string[]> {
    const listing = await this.listing(folder);
    const group = groupOf(name, listing.byStem.get(stemKey(name)) ?? []);
    return group ? [group.primary, ...group.companions].filter((member) => member !== name) : [];
  }

  /** The version of `folder` now: taken just before files are moved out of it, for `removed`. */
  versionOf(folder: string): Promise<string> {
    return version(folder);
  }

  /**
   * We moved `names` out of `folder`, whose version was `before` just before: forget them without listing the
   * folder again. Where the folder had changed since it was listed (a Live Photo copied in while a move waited out
   * its quiet period), the listing is dropped instead: taking the new version would hide the newcomers.
   */
  async removed(folder: string, names: readonly string[], before: string): Promise<void> {
    const cached = this.listings.get(folder);
    if (!cached) return;
    if (cached.version !== before) {
      this.listings.delete(folder);
      return;
    }
    for (const name of names) {
      const stem = stemKey(name);
      const left = (cached.byStem.get(stem) ?? []).filter((member) => member !== name);
      if (left.length > 0) cached.byStem.set(stem, left);
      else cached.byStem.delete(stem);
    }
    cached.version = await version(folder);
  }

  /** Forget what we know of `folder`. */
  forget(folder: string): void {
    this.listings.delete(folder);
  }

  private async listing(folder: string): Promise<Listing> {
    const now = await version(folder);
    const cached = this.listings.get(folder);
    if (cached?.version === now) return cached;
    const listing = { version: now, byStem: namesByStem(await fs.readdir(folder)) };
    this.listings.set(folder, listing);
    return listing;
  }
}

async function version(folder: string): Promise<string> {
  const stats = await fs.stat(folder, { bigint: true });
  return `${stats.dev}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`;
}
