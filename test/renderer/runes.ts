/// <reference types="svelte" />
/**
 * Svelte's runes for the renderer's state classes run outside the Svelte compiler: a `$state` field holds the value
 * it is given and a `$derived` field its first value. Enough for logic that does not react to its own changes.
 * Imported before the classes it serves.
 */
Object.assign(globalThis, {
  $state: <T>(initial?: T) => initial,
  $derived: <T>(value: T) => value,
});
