import { describe, expect, it } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';
import { captionsFormat, parseCaptions } from '../../electron/engine/evaluate/captionsFile.js';

/** The ClipSortError `parse` throws. */
function failure(parse: () => unknown): ClipSortError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ClipSortError);
    return error as ClipSortError;
  }
  throw new Error('expected the file to be refused');
}

describe('CSV captions', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, after a BOM, with CRLF line ends', () => {
    const text =
      '\uFEFFfilename,category,caption\r\n' +
      'cat-1.jpg,cats,"a cat, asleep on a mat"\r\n' +
      '"dog 2.png",dogs,"a dog saying ""woof""\r\nin the rain"\r\n' +
      '\r\n' +
      '  bird.webp , birds ,  a bird  \r\n';
    expect(parseCaptions(text, 'captions.csv')).toEqual([
      { filename: 'cat-1.jpg', category: 'cats', caption: 'a cat, asleep on a mat' },
      { filename: 'dog 2.png', category: 'dogs', caption: 'a dog saying "woof"\r\nin the rain' },
      { filename: 'bird.webp', category: 'birds', caption: 'a bird' },
    ]);
  });

  it('finds the columns by name, in any order and case, ignores others, and takes description for caption', () => {
    const text = 'Caption;Notes;FILENAME;Category\nred sky;x;a.jpg;sky\n';
    expect(parseCaptions(text)).toEqual([{ filename: 'a.jpg', category: 'sky', caption: 'red sky' }]);
    expect(parseCaptions('filename\tcategory\tdescription\nb.png\tsea\tgreen sea\n')).toEqual([
      { filename: 'b.png', category: 'sea', caption: 'green sea' },
    ]);
  });

  it('keeps an empty category (images directly in the folder)', () => {
    expect(parseCaptions('filename,category,caption\na.jpg,,a red photo\n')).toEqual([
      { filename: 'a.jpg', category: '', caption: 'a red photo' },
    ]);
  });

  it.each([
    ['an empty file', '', 'captions-empty'],
    ['only white space and a BOM', '\uFEFF \r\n\t\n', 'captions-empty'],
    ['a header without rows', 'filename,category,caption\r\n', 'captions-empty'],
    ['no caption column', 'filename,category\na.jpg,cats\n', 'captions-missing-column'],
    ['one column', 'pictures\na.jpg\n', 'captions-missing-column'],
    ['a quote left open', 'filename,category,caption\na.jpg,cats,"a cat\n', 'captions-malformed'],
    ['a short row', 'filename,category,caption\na.jpg,cats\n', 'captions-malformed'],
    ['a row without a file name', 'filename,category,caption\n ,cats,a cat\n', 'captions-malformed'],
    ['a row without a caption', 'filename,category,caption\na.jpg,cats,  \n', 'captions-malformed'],
  ])('refuses %s with a clear error', (_, text, code) => {
    const error = failure(() => parseCaptions(text, 'captions.csv'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^captions\.csv/);
  });

  it('names the missing column and the row at fault', () => {
    expect(failure(() => parseCaptions('filename,caption\na.jpg,x\n', 'c.csv')).message).toMatch(
      /no category column/,
    );
    expect(
      failure(() => parseCaptions('filename,category,caption\na.jpg,x,y\nb.jpg,x\n', 'c.csv')).message,
    ).toMatch(/row 3 has 2 fields/);
  });
});

describe('JSON captions', () => {
  it('reads captions grouped by category, in the file order', () => {
    const text = JSON.stringify({
      cats: [{ filename: 'c1.jpg', description: 'a cat' }],
      dogs: [
        { filename: 'd1.jpg', description: 'a dog' },
        { filename: 'sub/d2.jpg', caption: 'another dog' },
      ],
    });
    expect(parseCaptions(`\uFEFF${text}`, 'captions.json')).toEqual([
      { filename: 'c1.jpg', category: 'cats', caption: 'a cat' },
      { filename: 'd1.jpg', category: 'dogs', caption: 'a dog' },
      { filename: 'sub/d2.jpg', category: 'dogs', caption: 'another dog' },
    ]);
  });

  it.each([
    ['broken JSON', '{"cats": [', 'captions-malformed', /not valid JSON/],
    ['a list at the top', '[{"filename": "a.jpg"}]', 'captions-malformed', /not a list/],
    [
      'a category that is not a list',
      '{"cats": {"filename": "a.jpg"}}',
      'captions-malformed',
      /"cats" is not a list/,
    ],
    ['an item that is not an object', '{"cats": ["a.jpg"]}', 'captions-malformed', /item 1 is not an object/],
    ['an item without a file name', '{"cats": [{"description": "x"}]}', 'captions-malformed', /no file name/],
    [
      'an item without a description',
      '{"cats": [{"filename": "a.jpg"}]}',
      'captions-malformed',
      /no caption/,
    ],
    ['no items', '{"cats": []}', 'captions-empty', /holds no captions/],
  ])('refuses %s', (_, text, code, message) => {
    const error = failure(() => parseCaptions(text, 'captions.json'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('telling CSV from JSON', () => {
  it.each([
    ['captions.JSON', 'filename,category,caption', 'json'],
    ['captions.csv', '{"a": []}', 'csv'],
    ['captions', '\uFEFF  {"a": []}', 'json'],
    ['', '[1]', 'json'],
    ['captions.dat', 'filename,category,caption', 'csv'],
  ] as const)('%s holding %s is %s', (name, text, format) => {
    expect(captionsFormat(text, name)).toBe(format);
  });
});
