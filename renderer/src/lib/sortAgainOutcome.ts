import { countPhrase, type CommandResult } from '../../../electron/api/contract/index.js';
import type { MessageKey } from '../i18n/en.js';

/** What a sort again did: the images filed, those still waiting for review, and those that failed. */
export interface SortAgainOutcome {
  filed: number;
  waiting: number;
  failed: number;
}

/** The counts of a `sort.pass` answer. */
export const countOutcome = (result: CommandResult<'sort.pass'>): SortAgainOutcome => ({
  filed: result.sorted.length,
  waiting: result.review.length,
  failed: result.errors.length,
});

/**
 * The outcome as one line in `language`, each count with the word for that many: "3 filed, 2 still waiting",
 * with ", 1 failed" where some failed, and a line of its own where there was nothing to decide.
 */
export function outcomeLine(
  outcome: SortAgainOutcome,
  language: string,
  t: (key: MessageKey) => string,
): string {
  const { filed, waiting, failed } = outcome;
  if (filed + waiting + failed === 0) return t('sortAgain.nothing');
  const phrase = (count: number, one: MessageKey, other: MessageKey) =>
    countPhrase(language, count, t(one), t(other));
  const parts = [
    phrase(filed, 'sortAgain.filed.one', 'sortAgain.filed.other'),
    phrase(waiting, 'sortAgain.waiting.one', 'sortAgain.waiting.other'),
  ];
  if (failed > 0) parts.push(phrase(failed, 'sortAgain.failed.one', 'sortAgain.failed.other'));
  return parts.join(', ');
}
