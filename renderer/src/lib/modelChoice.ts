/**
 * The catalogue's models as a person chooses among them: what each reads and is best at, and its measured
 * quality and speed, in words of the interface language.
 */
import type { MessageKey } from '../i18n/en.js';
import type { ModelStatus } from './model.svelte.js';

export type Listing = ModelStatus['models'][number];
type Strength = NonNullable<Listing['strengths']>[number];

/** The message key that puts a strength into words. */
export const strengthKey = (strength: Strength): MessageKey => `model.strength.${strength}`;

/** The models of the catalogue a person can download, the default first. */
export function catalogueChoices(models: readonly Listing[]): Listing[] {
  return models.filter((m) => m.inCatalogue).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/**
 * The languages a model reads, in `language`'s words: all of them for one or two, else the interface language
 * and English first, then how many more (a list of thirty names helps nobody choose).
 */
export function languageWords(
  codes: readonly string[],
  language: string,
  more: (n: number) => string,
): string {
  const names = new Intl.DisplayNames([language], { type: 'language' });
  const name = (code: string) => names.of(code) ?? code;
  const list = new Intl.ListFormat(language, { type: 'conjunction' });
  if (codes.length <= 2) return list.format(codes.map(name));
  const first = [...new Set([language, 'en'])].filter((code) => codes.includes(code));
  const shown = [...first, ...codes.filter((code) => !first.includes(code))].slice(0, 3);
  return list.format([...shown.map(name), more(codes.length - shown.length)]);
}

/** The quality and speed figures worth a line: search recall in `language` (else English), ms per image. */
export function headlineFigures(
  listing: Listing,
  language: string,
): { recall?: { language: string; value: number }; ms?: number } {
  const recalls = listing.figures?.crossmodal3600Recall ?? {};
  const measured = recalls[language] !== undefined ? language : recalls.en !== undefined ? 'en' : undefined;
  return {
    ...(measured ? { recall: { language: measured, value: recalls[measured]! } } : {}),
    ...(listing.figures?.msPerImage !== undefined ? { ms: listing.figures.msPerImage } : {}),
  };
}
