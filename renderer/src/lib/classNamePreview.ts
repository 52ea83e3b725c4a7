/**
 * What the class form says before a class is created: the folder name a typed name will be saved as, and why it
 * differs. The name comes from the engine's own `safeClassName`, so the page and the engine cannot disagree.
 */
import { safeClassName, type NameChange } from '../../../electron/api/contract/index.js';
import type { MessageKey } from '../i18n/en.js';

type Translate = (key: MessageKey) => string;

/** A character as a person can read it: a control character or half an emoji by its code point. */
export function readableCharacter(character: string): string {
  if (!/[\p{Cc}\p{Cs}]/u.test(character)) return character;
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `change` was made, in the person's language. */
export function changeReason(change: NameChange, t: Translate): string {
  switch (change.reason) {
    case 'character':
      return `“${readableCharacter(change.character)}” ${t('classes.unsafe.character')}`;
    case 'device':
      return `“${change.device}” ${t('classes.unsafe.device')}`;
    case 'edges':
      return t('classes.unsafe.edges');
    case 'too-long':
      return t('classes.unsafe.tooLong');
    case 'empty':
      return t('classes.unsafe.empty');
  }
}

/**
 * The folder name `typed` will be saved as and the reasons, or undefined where it is saved as typed (white space
 * around it aside: the form drops that before it asks).
 */
export function namePreview(typed: string, t: Translate): { name: string; reasons: string[] } | undefined {
  const wanted = typed.trim();
  if (!wanted) return undefined;
  const safe = safeClassName(wanted);
  if (safe.changes.length === 0) return undefined;
  return { name: safe.name, reasons: safe.changes.map((change) => changeReason(change, t)) };
}
