/**
 * The language code NLLB-CLIP's text tower takes before each text (FLORES-200, as NLLB's tokenizer has them as
 * tokens of their own), for the languages people name folders in most.
 */
import type { ClipTokenizer } from './tokenizer.js';

/** ISO 639-1 → FLORES-200. */
const FLORES_200: Readonly<Record<string, string>> = {
  ar: 'arb_Arab',
  bg: 'bul_Cyrl',
  bn: 'ben_Beng',
  ca: 'cat_Latn',
  cs: 'ces_Latn',
  da: 'dan_Latn',
  de: 'deu_Latn',
  el: 'ell_Grek',
  en: 'eng_Latn',
  es: 'spa_Latn',
  et: 'est_Latn',
  eu: 'eus_Latn',
  fa: 'pes_Arab',
  fi: 'fin_Latn',
  fr: 'fra_Latn',
  gl: 'glg_Latn',
  he: 'heb_Hebr',
  hi: 'hin_Deva',
  hr: 'hrv_Latn',
  hu: 'hun_Latn',
  id: 'ind_Latn',
  it: 'ita_Latn',
  ja: 'jpn_Jpan',
  ko: 'kor_Hang',
  lt: 'lit_Latn',
  lv: 'lvs_Latn',
  nb: 'nob_Latn',
  nl: 'nld_Latn',
  pl: 'pol_Latn',
  pt: 'por_Latn',
  ro: 'ron_Latn',
  ru: 'rus_Cyrl',
  sk: 'slk_Latn',
  sl: 'slv_Latn',
  sr: 'srp_Cyrl',
  sv: 'swe_Latn',
  th: 'tha_Thai',
  tr: 'tur_Latn',
  uk: 'ukr_Cyrl',
  vi: 'vie_Latn',
  zh: 'zho_Hans',
};

/** The FLORES-200 code of a language tag (`es`, `es-MX`), or undefined for one not listed. */
export function floresCode(language: string): string | undefined {
  return FLORES_200[language.toLowerCase().split(/[-_]/)[0] ?? ''];
}

/**
 * What to put before each text for this tokenizer: the language's code where the vocabulary has language codes
 * (English's where the language is not listed), else nothing.
 */
export function languagePrefix(tokenizer: Pick<ClipTokenizer, 'hasToken'>, language: string): string {
  const english = FLORES_200.en!;
  if (!tokenizer.hasToken(english)) return '';
  const code = floresCode(language);
  return code && tokenizer.hasToken(code) ? code : english;
}
