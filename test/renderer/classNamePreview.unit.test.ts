import { describe, expect, it } from 'vitest';
import { sanitiseClassName } from '../../electron/engine/library/safeNames.js';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { namePreview, readableCharacter } from '../../renderer/src/lib/classNamePreview.js';
import type { MessageKey } from '../../renderer/src/i18n/en.js';

const t = (key: MessageKey) => en[key];

describe('the class name the form shows before creating', () => {
  it('says nothing for a name saved as typed, white space around it aside', () => {
    expect(namePreview('cats', t)).toBeUndefined();
    expect(namePreview('  🐱 cats ', t)).toBeUndefined();
    expect(namePreview('   ', t)).toBeUndefined();
  });

  it('shows the folder name and each reason, as the engine will save it', () => {
    expect(namePreview('../evil', t)).toEqual({
      name: '_evil',
      reasons: [`“/” ${en['classes.unsafe.character']}`, en['classes.unsafe.edges']],
    });
    expect(namePreview('con', t)).toEqual({
      name: 'con_',
      reasons: [`“con” ${en['classes.unsafe.device']}`],
    });
    expect(namePreview('...', t)).toEqual({ name: 'unnamed', reasons: [en['classes.unsafe.empty']] });
    expect(namePreview('é'.repeat(200), t)?.reasons).toEqual([en['classes.unsafe.tooLong']]);
    for (const typed of ['a/b', 'x. ', 'tab\there', 'COM1.txt', 'é'.repeat(200)]) {
      expect(namePreview(typed, t)?.name).toBe(sanitiseClassName(typed.trim()));
    }
  });

  it('names a control character by its code point, and speaks Spanish too', () => {
    expect(readableCharacter('\u0007')).toBe('U+0007');
    expect(readableCharacter('/')).toBe('/');
    expect(namePreview('a\tb', (key) => es[key])?.reasons).toEqual([
      `“U+0009” ${es['classes.unsafe.character']}`,
    ]);
  });
});
