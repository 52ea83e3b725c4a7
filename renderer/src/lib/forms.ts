/** Reading form fields into command inputs. */

/**
 * A number field's value: empty means "back to the default" (null), a finite number is that number, and
 * anything else is `undefined` (the form should refuse it).
 */
export function numberOrNull(value: string): number | null | undefined {
  if (value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
