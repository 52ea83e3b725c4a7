import { describe, expect, it } from 'vitest';
import { floresCode, languagePrefix } from '../../electron/engine/text/languageCodes.js';

const vocabulary = (...tokens: string[]) => ({ hasToken: (token: string) => tokens.includes(token) });

describe('language codes before the text', () => {
  it('maps language tags to FLORES-200, with or without a region', () => {
    expect(floresCode('es')).toBe('spa_Latn');
    expect(floresCode('es-MX')).toBe('spa_Latn');
    expect(floresCode('PT_br')).toBe('por_Latn');
    expect(floresCode('tlh')).toBeUndefined();
  });

  it("uses the language's code where the tokenizer has it, English's where not, nothing without codes", () => {
    const nllb = vocabulary('eng_Latn', 'spa_Latn');
    expect(languagePrefix(nllb, 'es')).toBe('spa_Latn');
    expect(languagePrefix(nllb, 'fr')).toBe('eng_Latn');
    expect(languagePrefix(nllb, 'tlh')).toBe('eng_Latn');
    expect(languagePrefix(vocabulary('spa_Latn'), 'es')).toBe('');
    expect(languagePrefix(vocabulary(), 'es')).toBe('');
  });
});
