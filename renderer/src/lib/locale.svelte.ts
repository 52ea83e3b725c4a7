import { en, type MessageKey } from '../i18n/en.js';
import { es } from '../i18n/es.js';

const dictionaries = { en, es } as const;
export type Language = keyof typeof dictionaries;
export const LANGUAGES: readonly Language[] = ['en', 'es'];

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
  }

  #storage: Storage | undefined;

  /** The string for `key` in the current language. */
  t = (key: MessageKey): string => this.#strings[key];

  set(language: Language) {
    this.language = language;
    document.documentElement.lang = language;
    this.#storage?.setItem(STORAGE_KEY, language);
  }
}
