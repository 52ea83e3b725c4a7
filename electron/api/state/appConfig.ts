/**
 * What ClipSort keeps per computer rather than per library: how the model runs here (threads, execution
 * provider and precision) and the libraries the desktop app opened recently. Kept in the user's
 * configuration folder (see `defaultConfigHome`), each file written to a temporary name and renamed into place;
 * without a folder (tests, a face that persists nothing) the values live only as long as the process.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { libraryFolders } from '../../engine/library/libraryPaths.js';
import { writeFileDurably } from '../../engine/fs/durable.js';
import type { ModelsHomeContext } from '../../engine/models/modelsHome.js';
import { EXECUTION_PROVIDERS, PRECISIONS } from '../contract/index.js';

/** How many recent libraries are remembered. */
const MAX_RECENT = 10;

const machineSettings = z.object({
  threads: z.int().min(1).max(1024).nullable().catch(null),
  provider: z.enum(EXECUTION_PROVIDERS).catch('cpu'),
  precision: z.enum(PRECISIONS).catch('fp32'),
});
export type MachineSettings = z.output<typeof machineSettings>;

const DEFAULT_MACHINE: MachineSettings = { threads: null, provider: 'cpu', precision: 'fp32' };

const recentList = z.array(z.object({ path: z.string().min(1), openedAt: z.number() }));
export type RecentEntry = z.output<typeof recentList>[number];

/**
 * The user's configuration folder for ClipSort: `CLIPSORT_CONFIG_HOME`, else `%APPDATA%\ClipSort` on Windows,
 * `~/Library/Application Support/ClipSort` on macOS, `$XDG_CONFIG_HOME/clipsort` (or `~/.config/clipsort`).
 */
export function defaultConfigHome(context: ModelsHomeContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.home ?? homedir();
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (env.CLIPSORT_CONFIG_HOME) return paths.resolve(env.CLIPSORT_CONFIG_HOME);
  switch (platform) {
    case 'win32':
      return paths.join(env.APPDATA || paths.join(home, 'AppData', 'Roaming'), 'ClipSort');
    case 'darwin':
      return paths.join(home, 'Library', 'Application Support', 'ClipSort');
    default:
      return paths.join(
        env.XDG_CONFIG_HOME && paths.isAbsolute(env.XDG_CONFIG_HOME)
          ? env.XDG_CONFIG_HOME
          : paths.join(home, '.config'),
        'clipsort',
      );
  }
}

/** Whether `folder` is a library now (it has an `Images/` folder). */
async function isLibrary(folder: string): Promise<boolean> {
  return stat(libraryFolders(folder).images).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export class AppConfig {
  private machine?: MachineSettings;
  private recentEntries?: RecentEntry[];
  /** Writes happen one at a time, in order. */
  private writes: Promise<unknown> = Promise.resolve();

  /** `dir`: the configuration folder, or undefined to keep everything in memory. */
  constructor(readonly dir?: string) {}

  async machineSettings(): Promise<MachineSettings> {
    this.machine ??= machineSettings.catch(DEFAULT_MACHINE).parse(await this.read('settings.json'));
    return this.machine;
  }

  /** Changes some machine settings; resolves once they are on disk. */
  async setMachineSettings(change: Partial<MachineSettings>): Promise<MachineSettings> {
    const next = { ...(await this.machineSettings()), ...change };
    this.machine = next;
    await this.write('settings.json', next);
    return next;
  }

  /** The recent libraries, most recent first, each said to exist or not now. */
  async recentLibraries(): Promise<(RecentEntry & { name: string; exists: boolean })[]> {
    return Promise.all(
      (await this.recent()).map(async (entry) => ({
        ...entry,
        name: path.basename(entry.path),
        exists: await isLibrary(entry.path),
      })),
    );
  }

  /** Puts `folder` first in the recent list. */
  async remember(folder: string): Promise<void> {
    const others = (await this.recent()).filter((entry) => entry.path !== folder);
    await this.saveRecent([{ path: folder, openedAt: Date.now() }, ...others].slice(0, MAX_RECENT));
  }

  /** Removes `folder` from the recent list. */
  async forget(folder: string): Promise<void> {
    await this.saveRecent((await this.recent()).filter((entry) => entry.path !== folder));
  }

  private async recent(): Promise<RecentEntry[]> {
    this.recentEntries ??= recentList.catch([]).parse(await this.read('recent-libraries.json'));
    return this.recentEntries;
  }

  private async saveRecent(entries: RecentEntry[]): Promise<void> {
    this.recentEntries = entries;
    await this.write('recent-libraries.json', entries);
  }

  /** A file's JSON, or undefined when it is missing or damaged (the defaults then apply). */
  private async read(name: string): Promise<unknown> {
    if (!this.dir) return undefined;
    try {
      return JSON.parse(await readFile(path.join(this.dir, name), 'utf8'));
    } catch {
      return undefined;
    }
  }

  private write(name: string, value: unknown): Promise<void> {
    const dir = this.dir;
    if (!dir) return Promise.resolve();
    const next = this.writes.then(async () => {
      await mkdir(dir, { recursive: true });
      await writeFileDurably(path.join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
    });
    this.writes = next.catch(() => undefined);
    return next;
  }
}
