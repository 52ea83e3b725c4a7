/** A count and the word for it, in the form a language uses for that many: "1 move", "3 moves". */
export function countPhrase(language: string, count: number, one: string, other: string): string {
  const word = new Intl.PluralRules(language).select(count) === 'one' ? one : other;
  const number = new Intl.NumberFormat(language, { minimumFractionDigits: 0, maximumFractionDigits: 0 });
  return `${number.format(count)} ${word}`;
}
