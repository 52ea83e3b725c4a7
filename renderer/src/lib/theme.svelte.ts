export type ThemeName = 'light' | 'dark';

const STORAGE_KEY = 'clipsort.theme';

/** Light or dark; follows the system until chosen, then remembered in this browser. */
export class Theme {
  name = $state<ThemeName>('light');

  constructor(storage: Storage | undefined = globalThis.localStorage) {
    this.#storage = storage;
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') this.name = saved;
    else if (globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches) this.name = 'dark';
    this.#apply();
  }

  #storage: Storage | undefined;

  set(name: ThemeName) {
    this.name = name;
    this.#storage?.setItem(STORAGE_KEY, name);
    this.#apply();
  }

  #apply() {
    document.documentElement.dataset.theme = this.name;
  }
}
