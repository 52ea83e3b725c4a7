/**
 * Every failure code the engine and its faces can answer with has an English and a Spanish message, found by
 * scanning the sources under electron/ (so a new code without a translation fails here), and unknown codes fall
 * back to the engine's own message.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/contract/index.js';
import { ClipSortError } from '../../electron/engine/errors.js';
import { en, type MessageKey } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { describeError, errorKey, toFailure, translateFailure } from '../../renderer/src/lib/errors.js';
import { repoRoot } from '../helpers/sharedFixtures.js';

async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

const CODE = `'([a-z][a-z0-9-]*)'`;

/**
 * The codes a source file throws or answers with: `new ClipSortError('code', …)`, calls of local helpers that
 * wrap it (`const because = (reason: string, …) => new ClipSortError(reason, …)`), and error bodies
 * (`{ code: 'code', message: … }`, `code: 'code'` in a skipped or problem report).
 */
function codesIn(source: string): string[] {
  const codes = new Set<string>();
  const collect = (pattern: RegExp) => {
    for (const match of source.matchAll(pattern)) codes.add(match[1]!);
  };
  collect(new RegExp(`new ClipSortError\\(\\s*${CODE}`, 'g'));
  const helper = /(\w+)\s*=\s*\(\s*(\w+)\s*:\s*string[^)]*\)\s*=>\s*new ClipSortError\(\s*(\w+)/g;
  for (const [, name, parameter, passed] of source.matchAll(helper)) {
    if (parameter === passed) collect(new RegExp(`\\b${name}\\(\\s*${CODE}`, 'g'));
  }
  collect(new RegExp(`\\bcode:\\s*${CODE}`, 'g'));
  return [...codes];
}

/** Codes that are not failures a person meets: zod's own issue code inside the catalogue's schema. */
const NOT_FAILURES = new Set(['custom']);

describe('translated errors', () => {
  it('finds codes the way the sources write them', () => {
    const source = [
      "throw new ClipSortError('model-missing', `none at ${x}`);",
      'throw new ClipSortError(\n  "ignored", \'x\');',
      'const because = (reason: string, text: string) =>\n  new ClipSortError(reason, `${name}: ${text}`);',
      "return because('file-busy', 'locked');",
      "return because(\n      'image-too-large',\n 'big');",
      "report.skipped.push({ id, path, code: 'already-there', message });",
    ].join('\n');
    expect(codesIn(source).sort()).toEqual([
      'already-there',
      'file-busy',
      'image-too-large',
      'model-missing',
    ]);
  });

  it('has an English and a Spanish message for every code used under electron/', async () => {
    const files = await sourcesUnder(path.join(repoRoot, 'electron'));
    const used = new Set<string>(['invalid-input']);
    for (const file of files) {
      for (const code of codesIn(await readFile(file, 'utf8'))) if (!NOT_FAILURES.has(code)) used.add(code);
    }
    // The scan sees the codes the engine is known to use; a scan that found nothing would prove nothing.
    for (const known of ['model-missing', 'image-corrupt', 'file-busy', 'no-library', 'internal']) {
      expect(used).toContain(known);
    }
    const missing = (dictionary: Record<string, string>) =>
      [...used].filter((code) => !dictionary[`error.code.${code}`]?.trim()).sort();
    expect(missing(en)).toEqual([]);
    expect(missing(es)).toEqual([]);
    // Spanish is its own text, not English copied over.
    const copied = [...used].filter(
      (code) => es[`error.code.${code}` as MessageKey] === en[`error.code.${code}` as MessageKey],
    );
    expect(copied).toEqual([]);
  });

  it('translates a known code and falls back to the engine message for an unknown one', () => {
    const t = (key: MessageKey) => es[key];
    const missing = toFailure(
      new ApiError({ code: 'model-missing', message: 'No CLIP model was found at /x.' }),
    );
    expect(missing).toEqual({ code: 'model-missing', message: 'No CLIP model was found at /x.' });
    expect(translateFailure(missing, t)).toBe(es['error.code.model-missing']);
    const unknown = toFailure(new ClipSortError('flux-capacitor', 'The flux capacitor is out of flux.'));
    expect(errorKey(unknown.code)).toBeUndefined();
    expect(translateFailure(unknown, t)).toBe('The flux capacitor is out of flux.');
    expect(describeError(new Error('plain'), t)).toBe('plain');
    expect(describeError('a string')).toBe('a string');
    expect(describeError(new ClipSortError('image-empty', 'a.png: the file is empty.'))).toBe(
      'a.png: the file is empty.',
    );
  });

  it('never takes a key from outside the error messages', () => {
    expect(errorKey('model-missing')).toBe('error.code.model-missing');
    expect(errorKey('../../nav.review')).toBeUndefined();
    expect(errorKey('toString')).toBeUndefined();
    expect(errorKey(null)).toBeUndefined();
  });
});
