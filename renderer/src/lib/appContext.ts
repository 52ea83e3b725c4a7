/**
 * What App provides to every view and component under it, instead of a prop threaded through each: the
 * interface's language and theme. The getters are called while a component is set up, and throw where App has
 * not provided them.
 */
import { createContext } from 'svelte';
import type { Locale } from './locale.svelte.js';
import type { Theme } from './theme.svelte.js';

export const [getLocale, setLocale] = createContext<Locale>();
export const [getTheme, setTheme] = createContext<Theme>();
