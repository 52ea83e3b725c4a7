/** Figures and tables as the command line prints them for people. */

/** A share (0–1) as a percentage; a dash for none. */
export const percent = (share: number | null) => (share === null ? '–' : `${(100 * share).toFixed(1)}%`);

/** Text cut to `width` characters, with an ellipsis when cut. */
export const clip = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text;

/** Rows of cells as aligned columns. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}
