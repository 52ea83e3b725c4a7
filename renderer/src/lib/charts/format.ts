/** Numbers as people read them in the interface's language. */

/** A share on [0, 1] as a percentage ("87.5%", "87,5 %"), or an en dash when there is none. */
export function formatShare(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: digits }).format(value);
}

/** A measurement with a fixed number of decimals in the language's notation, or an en dash when there is none. */
export function formatNumber(value: number | null | undefined, language: string, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** The last segment of a library path, for labels where the whole path does not fit. */
export const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);
