import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Third-party reference data (real CLIP tokenizer, PIL-made tensors) lives beside the repository in
 * `../shared/fixtures`, never inside it. Tests that need it skip, saying so, where it is absent.
 */
export const sharedFixtures = path.resolve(repoRoot, '../shared/fixtures');

/** True when `../shared/fixtures/<sub>` exists. */
export function hasSharedFixtures(sub: string): boolean {
  return existsSync(path.join(sharedFixtures, sub));
}

/** A describe title that says why it skips when the fixtures are missing. */
export function sharedTitle(title: string, sub: string): string {
  return hasSharedFixtures(sub) ? title : `${title} (skipped: no ../shared fixtures)`;
}
