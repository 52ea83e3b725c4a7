/** `defaults` overridden by the options that are set: an option given as `undefined` keeps its default. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T> = {}): T {
  const set = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...defaults, ...(Object.fromEntries(set) as Partial<T>) };
}
