import { en, type MessageKey } from '../i18n/en.js';
import { es } from '../i18n/es.js';
import { translateFailure, type Failure } from './errors.js';
import { countPhrase } from '../../../electron/api/contract/index.js';

const dictionaries = { en, es } as const;
export type Language = keyof typeof dictionaries;
export const LANGUAGES: readonly Language[] = ['en', 'es'];
/** Each language's name in itself, so that anyone can find theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

const STORAGE_KEY = 'clipsort.language';

const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'es';

/** The interface language; remembered in this browser. */
export class Locale {
  language = $state<Language>('en');
  #strings = $derived<Record<MessageKey, string>>(dictionaries[this.language]);

  constructor(storage: Storage | undefined = globalThis.localStorage) {
    const saved = storage?.getItem(STORAGE_KEY);
    if (isLanguage(saved)) this.language = saved;
    else if (globalThis.navigator?.language.startsWith('es')) this.language = 'es';
    this.#storage = storage;
    document.documentElement.lang = this.language;
  }

  #storage: Storage | undefined;

  /** The string for `key` in the current language. */
  t = (key: MessageKey): string => this.#strings[key];

  /** A failure in the current language (the engine's message where its code has no translation). */
  failure = (failure: Failure): string => translateFailure(failure, this.t);

  /** `count` with the word for one or for many (`one` and `other` hold the words alone), e.g. "1 move". */
  count = (count: number, one: MessageKey, other: MessageKey): string =>
    countPhrase(this.language, count, this.t(one), this.t(other));

  /** A number in the current language's notation. */
  number = (value: number, digits = 0): string =>
    new Intl.NumberFormat(this.language, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);

  set(language: Language) {
    this.language = language;
    document.documentElement.lang = language;
    this.#storage?.setItem(STORAGE_KEY, language);
  }
}
