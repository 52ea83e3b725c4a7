import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_BYTES,
  UNNAMED_CLASS,
  fitBytes,
  safeClassName,
  sanitiseClassName,
} from '../../electron/engine/library/safeNames.js';
import { librarySegments } from '../../electron/engine/library/safePaths.js';
import { freeName, nameKey, takenKeys } from '../../electron/engine/move/freeName.js';

const bytes = (text: string) => Buffer.byteLength(text);
const nfd = (text: string) => text.normalize('NFD');

describe('freeName', () => {
  const cases: [string, string[], string][] = [
    ['beach.jpg', [], 'beach.jpg'],
    ['beach.jpg', ['beach.jpg'], 'beach (2).jpg'],
    ['beach.jpg', ['beach.jpg', 'beach (2).jpg'], 'beach (3).jpg'],
    ['beach.jpg', ['Beach.JPG'], 'beach (2).jpg'], // case-only collisions count
    ['beach.jpg', ['BEACH.jpg', 'beach (2).JPG'], 'beach (3).jpg'],
    ['café.jpg', [nfd('café.jpg')], 'café (2).jpg'], // NFC and NFD are one name
    [nfd('café.jpg'), ['café.jpg'], `${nfd('café')} (2).jpg`],
    ['straße.jpg', ['STRASSE.jpg'], 'straße (2).jpg'],
    ['beach (2).jpg', ['beach (2).jpg'], 'beach (3).jpg'], // continues the number
    ['beach (9).jpg', ['beach (9).jpg', 'beach (10).jpg'], 'beach (11).jpg'],
    ['archive.tar.gz', ['archive.tar.gz'], 'archive.tar (2).gz'], // only the last extension stays at the end
    ['IMG.2024.05.01.jpg', ['img.2024.05.01.jpg'], 'IMG.2024.05.01 (2).jpg'],
    ['.hidden', ['.hidden'], '.hidden (2)'],
    ['noext', ['noext'], 'noext (2)'],
    ['-rf.jpg', ['-rf.jpg'], '-rf (2).jpg'],
    ['🏖️ beach 🌊.jpg', ['🏖️ beach 🌊.jpg'], '🏖️ beach 🌊 (2).jpg'],
    ['(2).jpg', ['(2).jpg'], '(2) (2).jpg'],
  ];
  it.each(cases)('%s among %j → %s', (wanted, names, expected) => {
    expect(freeName(wanted, takenKeys(names))).toBe(expected);
  });

  it('shortens the stem on a character boundary to keep the name within 255 bytes', () => {
    const stem = 'é'.repeat(125) + 'x'; // 251 bytes
    const wanted = `${stem}.jpg`; // 255 bytes
    const next = freeName(wanted, takenKeys([wanted]));
    expect(bytes(next)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(next).toMatch(/^é+ \(2\)\.jpg$/);
    expect(Buffer.from(next).toString('utf8')).toBe(next); // no broken character

    const emoji = '👨‍👩‍👧‍👦'; // one grapheme of 25 bytes
    const wide = `${emoji.repeat(10)}.png`;
    const numbered = freeName(wide, takenKeys([wide]));
    expect(bytes(numbered)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(numbered).toBe(`${emoji.repeat(9)} (2).png`); // whole emoji only
  });

  it('keeps numbering past shortened names and never repeats one', () => {
    const wanted = `${'a'.repeat(251)}.jpg`;
    const names = [wanted];
    for (let i = 0; i < 15; i++) names.push(freeName(wanted, takenKeys(names)));
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
    expect(names.every((name) => bytes(name) <= MAX_NAME_BYTES)).toBe(true);
    expect(names.at(-1)).toMatch(/ \(16\)\.jpg$/);
  });

  it('shortens a name that is too long even when it is free', () => {
    const name = freeName(`${'b'.repeat(300)}.jpeg`, new Set());
    expect(bytes(name)).toBe(MAX_NAME_BYTES);
    expect(name.endsWith('.jpeg')).toBe(true);
  });
});

describe('fitBytes', () => {
  it.each([
    ['abc', 2, 'ab'],
    ['ééé', 5, 'éé'],
    ['a👍b', 4, 'a'],
    ['a👍b', 5, 'a👍'],
    [nfd('é'), 2, 'e'], // a grapheme longer than the room is cut between code points
  ])('%s in %d bytes → %s', (text, max, expected) => {
    expect(fitBytes(text, max)).toBe(expected);
  });
});

describe('sanitiseClassName', () => {
  const cases: [string, string][] = [
    ['cats', 'cats'],
    ['..', UNNAMED_CLASS],
    ['.', UNNAMED_CLASS],
    ['', UNNAMED_CLASS],
    ['   ', UNNAMED_CLASS],
    ['/etc/passwd', '_etc_passwd'],
    ['../../etc', '_.._etc'],
    ['a\\b', 'a_b'],
    ['CON', 'CON_'],
    ['con', 'con_'],
    ['nul.txt', 'nul_.txt'],
    ['COM1', 'COM1_'],
    ['lpt9', 'lpt9_'],
    ['CONSOLE', 'CONSOLE'],
    ['a<b>', 'a_b_'],
    ['what?*|"', 'what____'],
    ['a:b', 'a_b'],
    ['tab\there', 'tab_here'],
    ['nul\0byte', 'nul_byte'],
    ['trailing dots...', 'trailing dots'],
    ['  spaced  ', 'spaced'],
    ['.hidden', 'hidden'],
    ['-starts-with-dash', '-starts-with-dash'],
    ['🐱 cats', '🐱 cats'],
    ['日本の猫', '日本の猫'],
    [nfd('café'), 'café'],
    ['lone \uD800 surrogate', 'lone _ surrogate'],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    const clean = sanitiseClassName(input);
    expect(clean).toBe(expected);
    expect(clean.normalize('NFC')).toBe(clean);
  });

  it('keeps long names within 255 bytes without breaking a character', () => {
    for (const name of ['x'.repeat(400), 'é'.repeat(300), '🐈'.repeat(100), `${'a'.repeat(253)}...b`]) {
      const clean = sanitiseClassName(name);
      expect(bytes(clean)).toBeLessThanOrEqual(MAX_NAME_BYTES);
      expect(bytes(clean)).toBeGreaterThan(200);
      expect(clean).not.toMatch(/[\s.]$/);
      expect(Buffer.from(clean).toString('utf8')).toBe(clean);
    }
  });

  it('is idempotent', () => {
    for (const [input] of cases) {
      const once = sanitiseClassName(input);
      expect(sanitiseClassName(once)).toBe(once);
    }
  });
});

describe('safeClassName', () => {
  it.each<[string, string, unknown[]]>([
    ['cats', 'cats', []],
    [nfd('café'), 'café', []],
    ['../evil', '_evil', [{ reason: 'character', character: '/' }, { reason: 'edges' }]],
    ['a/b/c', 'a_b_c', [{ reason: 'character', character: '/' }]],
    [
      'a:b?',
      'a_b_',
      [
        { reason: 'character', character: ':' },
        { reason: 'character', character: '?' },
      ],
    ],
    ['bell\u0007', 'bell_', [{ reason: 'character', character: '\u0007' }]],
    ['trailing dots. ', 'trailing dots', [{ reason: 'edges' }]],
    ['con', 'con_', [{ reason: 'device', device: 'con' }]],
    ['NUL.txt', 'NUL_.txt', [{ reason: 'device', device: 'NUL' }]],
    ['..', UNNAMED_CLASS, [{ reason: 'empty' }]],
    ['lone \uD800', 'lone _', [{ reason: 'character', character: '\uD800' }]],
  ])('%j → %j, saying why', (input, name, changes) => {
    expect(safeClassName(input)).toEqual({ name, changes });
  });

  it('says a long name was cut', () => {
    expect(safeClassName('x'.repeat(300)).changes).toEqual([{ reason: 'too-long' }]);
  });

  it('is the name sanitiseClassName gives, so the page and the engine agree', () => {
    for (const input of ['../evil', 'a/b', 'con', 'x. ', 'é'.repeat(300), '\u0001']) {
      expect(safeClassName(input).name).toBe(sanitiseClassName(input));
    }
  });
});

describe('librarySegments', () => {
  it.each([
    ['Images/a.jpg', ['Images', 'a.jpg']],
    ['Dataset//cats/./a.jpg', ['Dataset', 'cats', 'a.jpg']],
    ['Images/-rf.jpg', ['Images', '-rf.jpg']],
    ['Images/..hidden..', ['Images', '..hidden..']],
    ['/etc/passwd', undefined],
    ['\\\\server\\share', undefined],
    ['C:\\Windows', undefined],
    ['c:photos', undefined],
    ['Images/../../etc', undefined],
    ['Images\\..\\..\\etc', undefined],
    ['..', undefined],
    ['', undefined],
    ['.', undefined],
    ['Images/a\0.jpg', undefined],
  ])('%j → %j', (relative, expected) => {
    expect(librarySegments(relative)).toEqual(expected);
  });
});
