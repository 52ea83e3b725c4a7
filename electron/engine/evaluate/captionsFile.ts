/**
 * Captions files: which image goes with which description. Two shapes are read:
 * - CSV with a header naming `filename`, `category` and `caption` (in any order, any case; `description` is
 *   taken for `caption`; other columns are ignored). Fields may be quoted, with commas, quotes (`""`) and line
 *   breaks inside; a byte-order mark and CRLF line ends are fine; `;` or tab may separate fields instead of `,`.
 * - JSON grouped by category: `{ "<category>": [ { "filename": "…", "description": "…" } ] }` (`caption` is
 *   taken for `description`).
 */
import Papa from 'papaparse';
import { ClipSortError } from '../errors.js';

/** One row of a captions file. */
export interface CaptionRow {
  filename: string;
  category: string;
  caption: string;
}

export type CaptionsFormat = 'csv' | 'json';

const COLUMNS = ['filename', 'category', 'caption'] as const;
const ALIASES: Record<string, (typeof COLUMNS)[number]> = { description: 'caption' };

function malformed(name: string, why: string): ClipSortError {
  return new ClipSortError('captions-malformed', `${name}: ${why}`);
}

function empty(name: string): ClipSortError {
  return new ClipSortError(
    'captions-empty',
    `${name} holds no captions: it needs a row per image (CSV filename,category,caption, or JSON by category).`,
  );
}

/** CSV or JSON: by the file's extension, else by its first character. */
export function captionsFormat(text: string, name = ''): CaptionsFormat {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'csv' || extension === 'tsv' || extension === 'txt') return 'csv';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** The rows of a captions file, in the file's order; `name` is used in messages and to tell the format. */
export function parseCaptions(text: string, name = 'the captions file'): CaptionRow[] {
  if (text.replace(/^\uFEFF/, '').trim() === '') throw empty(name);
  const rows = captionsFormat(text, name) === 'json' ? parseJson(text, name) : parseCsv(text, name);
  if (rows.length === 0) throw empty(name);
  return rows;
}

function parseCsv(text: string, name: string): CaptionRow[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t'],
  });
  // A file of one column has no delimiter to detect; the header check below says what is missing.
  const problem = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (problem) {
    const where = problem.row === undefined ? '' : ` in row ${problem.row + 1}`;
    throw malformed(name, `${problem.message.toLowerCase()}${where} (is a quote left open?).`);
  }
  const [header = [], ...records] = parsed.data;
  const columns = header.map((title) => {
    const key = title.trim().toLowerCase();
    return ALIASES[key] ?? key;
  });
  const at = Object.fromEntries(COLUMNS.map((column) => [column, columns.indexOf(column)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const absent = COLUMNS.filter((column) => at[column] < 0);
  if (absent.length > 0) {
    throw new ClipSortError(
      'captions-missing-column',
      `${name}: the header has no ${absent.join(' or ')} column; the first row must name the columns ` +
        `filename,category,caption (it reads "${header.join(',').slice(0, 200)}").`,
    );
  }
  return records.map((record, i) => {
    const row = i + 2; // counting the header as row 1
    if (record.length < columns.length) {
      throw malformed(
        name,
        `row ${row} has ${record.length} fields where the header names ${columns.length}.`,
      );
    }
    return checkedRow(name, `row ${row}`, record[at.filename]!, record[at.category]!, record[at.caption]!);
  });
}

function parseJson(text: string, name: string): CaptionRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw malformed(name, `this is not valid JSON (${(error as Error).message}).`);
  }
  const shape =
    'a JSON captions file is an object of categories, each a list of {"filename": …, "description": …}';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(name, `${shape}, not ${Array.isArray(value) ? 'a list' : typeof value}.`);
  }
  return Object.entries(value).flatMap(([category, items]) => {
    if (!Array.isArray(items)) throw malformed(name, `category "${category}" is not a list; ${shape}.`);
    return items.map((item: unknown, i) => {
      const where = `category "${category}", item ${i + 1}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw malformed(name, `${where} is not an object; ${shape}.`);
      }
      const fields = item as Record<string, unknown>;
      return checkedRow(name, where, fields.filename, category, fields.description ?? fields.caption);
    });
  });
}

function checkedRow(
  name: string,
  where: string,
  filename: unknown,
  category: string,
  caption: unknown,
): CaptionRow {
  if (typeof filename !== 'string' || filename.trim() === '') {
    throw malformed(name, `${where} has no file name.`);
  }
  if (typeof caption !== 'string' || caption.trim() === '') {
    throw malformed(name, `${where} (${filename.trim()}) has no caption.`);
  }
  return { filename: filename.trim(), category: category.trim(), caption: caption.trim() };
}
