import { describe, expect, it } from 'vitest';
import {
  catalogueChoices,
  headlineFigures,
  languageWords,
  type Listing,
} from '../../renderer/src/lib/modelChoice.js';

const listing = (m: Partial<Listing> & Pick<Listing, 'id'>): Listing => ({
  name: m.id,
  inCatalogue: true,
  isDefault: false,
  state: 'not-installed',
  path: `/models/${m.id}`,
  variants: [],
  size: null,
  source: null,
  problem: null,
  inUse: false,
  ...m,
});
const more = (n: number) => `${n} more`;

describe('choosing a model', () => {
  it('offers the catalogue models, the default first, and not the ones only imported', () => {
    const models = [
      listing({ id: 'b' }),
      listing({ id: 'mine', inCatalogue: false }),
      listing({ id: 'a', isDefault: true }),
    ];
    expect(catalogueChoices(models).map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('names one or two languages, and for many the interface language and English first, then how many more', () => {
    expect(languageWords(['en'], 'en', more)).toBe('English');
    expect(languageWords(['en', 'es'], 'es', more)).toBe('inglés y español');
    expect(languageWords(['zh', 'fr', 'en', 'es', 'de', 'ar'], 'es', more)).toBe(
      'español, inglés, chino y 3 more',
    );
    expect(languageWords(['zh', 'fr', 'en', 'ar'], 'en', more)).toBe('English, Chinese, French, and 1 more');
  });

  it('gives the search quality in the interface language where measured, else in English', () => {
    const figures = { crossmodal3600Recall: { en: 68.8, es: 75.0 }, msPerImage: 2.3, sources: ['x'] };
    expect(headlineFigures(listing({ id: 'm', figures }), 'es')).toEqual({
      recall: { language: 'es', value: 75.0 },
      ms: 2.3,
    });
    expect(headlineFigures(listing({ id: 'm', figures }), 'fr').recall).toEqual({
      language: 'en',
      value: 68.8,
    });
    expect(headlineFigures(listing({ id: 'm' }), 'en')).toEqual({});
  });
});
