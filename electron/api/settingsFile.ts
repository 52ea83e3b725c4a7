/**
 * The library's sorting settings (mode, threshold, margin) as the faces set them, kept in
 * `<library>/.clipsort/settings.json` so that they outlive one run. Written to a temporary name and renamed into
 * place, so a crash leaves the old settings or the new ones, never half a file. How the model runs (threads,
 * provider) belongs to the computer, not the library: see `appConfig.ts`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DECISION } from '../engine/classify/decision.js';
import { DEFAULT_MODE, type Mode } from '../engine/classify/scores.js';
import { availableExecutionProviders, type ExecutionProvider } from '../engine/inference/onnxRuntime.js';
import { stateDir } from '../engine/library/libraryPaths.js';
import type { SortSettings } from '../engine/sorting/sorter.js';
import { MODES, type CommandResult, type EXECUTION_PROVIDERS, type ParsedInput } from './contract.js';
import type { Runtime } from './modelHolder.js';

/** The contract's modes and providers are the engine's (a compile error here means one of them changed). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const MODES_AGREE: Same<(typeof MODES)[number], Mode> = true;
export const PROVIDERS_AGREE: Same<(typeof EXECUTION_PROVIDERS)[number], ExecutionProvider> = true;

/** What is stored: a threshold or margin of `null` follows the mode's default. */
const storedSettings = z.object({
  mode: z.enum(MODES).catch(DEFAULT_MODE),
  threshold: z.number().nullable().catch(null),
  margin: z.number().nullable().catch(null),
});
export type StoredSettings = z.output<typeof storedSettings>;

const FILE = 'settings.json';

/** Reads the settings; a missing or damaged file means the defaults. */
export async function readSettings(root: string): Promise<StoredSettings> {
  try {
    const parsed = storedSettings.safeParse(
      JSON.parse(await readFile(path.join(stateDir(root), FILE), 'utf8')),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or unreadable: the defaults.
  }
  return { mode: DEFAULT_MODE, threshold: null, margin: null };
}

/** Writes the settings atomically. */
export async function writeSettings(root: string, settings: StoredSettings): Promise<void> {
  const target = path.join(stateDir(root), FILE);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  await rename(temporary, target);
}

/**
 * The stored settings with the library's part of `change` applied (`undefined` keeps a value, `null` returns to
 * the default).
 */
export function applyChange(current: StoredSettings, change: ParsedInput<'settings.set'>): StoredSettings {
  return {
    mode: change.mode ?? current.mode,
    threshold: change.threshold === undefined ? current.threshold : change.threshold,
    margin: change.margin === undefined ? current.margin : change.margin,
  };
}

/** The decision settings with the mode's defaults filled in. */
function decision(
  stored: StoredSettings,
): SortSettings & { defaults: { threshold: number; margin: number } } {
  const defaults = { ...DEFAULT_DECISION[stored.mode] };
  return {
    mode: stored.mode,
    threshold: stored.threshold ?? defaults.threshold,
    margin: stored.margin ?? defaults.margin,
    defaults,
  };
}

/** The settings as the faces show them: the library's, with the mode's defaults filled in, and the computer's. */
export function effectiveSettings(stored: StoredSettings, runtime: Runtime): CommandResult<'settings.get'> {
  return {
    ...decision(stored),
    threads: runtime.threads,
    provider: runtime.providers[0] ?? 'cpu',
    available: { providers: availableExecutionProviders(), cores: availableParallelism() },
  };
}

/** The sorter's settings. */
export function sortSettings(stored: StoredSettings): SortSettings {
  const { mode, threshold, margin } = decision(stored);
  return { mode, threshold, margin };
}
