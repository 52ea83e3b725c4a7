/**
 * The library's sorting settings (mode, error share or fixed threshold and margin, quiet period) as the faces set
 * them, kept in
 * `<library>/.clipsort/settings.json` so that they outlive one run. Written to a temporary name and renamed into
 * place, so a crash leaves the old settings or the new ones, never half a file. How the model runs (threads,
 * provider) belongs to the computer, not the library: see `appConfig.ts`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DECISION } from '../../engine/classify/decision.js';
import { DEFAULT_MODE } from '../../engine/classify/scores.js';
import { DEFAULT_MAX_ERROR } from '../../engine/evaluate/modeCalibration.js';
import { availableExecutionProviders } from '../../engine/inference/onnxRuntime.js';
import { stateDir } from '../../engine/library/libraryPaths.js';
import type { SortSettings } from '../../engine/sorting/sorter.js';
import { quietMsFromEnvironment } from '../../engine/move/quietFile.js';
import { MAX_QUIET_SECONDS, MODES, type CommandResult, type ParsedInput } from '../contract/index.js';
import type { Runtime } from './modelHolder.js';

/**
 * What is stored; `null` follows the default. How images are decided (`decideBy`):
 * - `null`, the default: by the rule calibrated to the error share once the labelled photos support one, by the
 *   fixed threshold and margin until then;
 * - `error`: by the calibrated rule only, every photo waiting for review while the labelled photos are too few;
 * - `threshold`: by the fixed rule, the mode's threshold and margin where `null`.
 */
const storedSettings = z.object({
  mode: z.enum(MODES).catch(DEFAULT_MODE),
  decideBy: z.enum(['error', 'threshold']).nullable().catch(null),
  maxError: z.number().gt(0).lt(1).nullable().catch(null),
  threshold: z.number().nullable().catch(null),
  margin: z.number().nullable().catch(null),
  quietSeconds: z.number().min(0).max(MAX_QUIET_SECONDS).nullable().catch(null),
  classLanguage: z.string().nullable().catch(null),
});
export type StoredSettings = z.output<typeof storedSettings>;

const FILE = 'settings.json';

/**
 * Settings written before `decideBy` was kept said it by what they held: a fixed threshold or margin meant the
 * fixed rule, an error share the calibrated one.
 */
function withDecideBy(stored: StoredSettings, raw: unknown): StoredSettings {
  if (typeof raw === 'object' && raw !== null && 'decideBy' in raw) return stored;
  const decideBy =
    stored.threshold !== null || stored.margin !== null
      ? 'threshold'
      : stored.maxError !== null
        ? 'error'
        : null;
  return { ...stored, decideBy };
}

/** Reads the settings; a missing or damaged file means the defaults. */
export async function readSettings(root: string): Promise<StoredSettings> {
  try {
    const raw: unknown = JSON.parse(await readFile(path.join(stateDir(root), FILE), 'utf8'));
    const parsed = storedSettings.safeParse(raw);
    if (parsed.success) return withDecideBy(parsed.data, raw);
  } catch {
    // Missing or unreadable: the defaults.
  }
  return {
    mode: DEFAULT_MODE,
    decideBy: null,
    maxError: null,
    threshold: null,
    margin: null,
    quietSeconds: null,
    classLanguage: null,
  };
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
 * the default). Unless `change` says how to decide, an error share asked for means deciding by it alone, and a
 * threshold or margin by the fixed rule.
 */
export function applyChange(current: StoredSettings, change: ParsedInput<'settings.set'>): StoredSettings {
  const keep = <T>(asked: T | undefined, kept: T) => (asked === undefined ? kept : asked);
  const implied =
    change.threshold != null || change.margin != null
      ? 'threshold'
      : change.maxError != null
        ? 'error'
        : current.decideBy;
  return {
    mode: change.mode ?? current.mode,
    decideBy: keep(change.decideBy, implied),
    maxError: keep(change.maxError, current.maxError),
    threshold: keep(change.threshold, current.threshold),
    margin: keep(change.margin, current.margin),
    quietSeconds: change.quietSeconds === undefined ? current.quietSeconds : change.quietSeconds,
    classLanguage: change.classLanguage === undefined ? current.classLanguage : change.classLanguage,
  };
}

/** The language of the computer (its locale's language subtag), as the default for class names. */
export function systemLanguage(): string {
  return new Intl.Locale(Intl.DateTimeFormat().resolvedOptions().locale).language;
}

/**
 * The sorting settings with the defaults filled in (the mode's threshold and margin, the quiet period's, the
 * computer's language).
 */
export function decision(stored: StoredSettings) {
  const defaults = {
    maxError: DEFAULT_MAX_ERROR,
    ...DEFAULT_DECISION[stored.mode],
    quietSeconds: quietMsFromEnvironment() / 1000,
    classLanguage: systemLanguage(),
  };
  return {
    mode: stored.mode,
    decideBy: stored.decideBy === 'threshold' ? ('threshold' as const) : ('error' as const),
    // While the labelled photos are too few to promise the error share: the fixed rule, or review for all.
    untilCalibrated: stored.decideBy === 'error' ? ('review' as const) : ('threshold' as const),
    maxError: stored.maxError ?? defaults.maxError,
    threshold: stored.threshold ?? defaults.threshold,
    margin: stored.margin ?? defaults.margin,
    quietSeconds: stored.quietSeconds ?? defaults.quietSeconds,
    classLanguage: stored.classLanguage ?? defaults.classLanguage,
    defaults,
  };
}

/** The settings as the faces show them: the library's, with the mode's defaults filled in, and the computer's. */
export function effectiveSettings(stored: StoredSettings, runtime: Runtime): CommandResult<'settings.get'> {
  return {
    ...decision(stored),
    threads: runtime.threads,
    provider: runtime.providers[0] ?? 'cpu',
    precision: runtime.precision,
    available: { providers: availableExecutionProviders(), cores: availableParallelism() },
  };
}

/** The sorter's settings. */
export function sortSettings(stored: StoredSettings): SortSettings {
  const { mode, decideBy, untilCalibrated, maxError, threshold, margin, quietSeconds, classLanguage } =
    decision(stored);
  return {
    mode,
    threshold,
    margin,
    ...(decideBy === 'error' ? { maxError, untilCalibrated } : {}),
    quietMs: quietSeconds * 1000,
    classLanguage,
  };
}
