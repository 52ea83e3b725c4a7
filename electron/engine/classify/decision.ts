import type { DecisionRule } from '../choices.js';
import type { Ranking } from './scores.js';

export { DEFAULT_DECISION, type DecisionRule } from '../choices.js';

/** What happens to an image: sorted into a class, or held for a person, with the best guess and why. */
export type Decision =
  { kind: 'sort'; class: string } | { kind: 'review'; suggestion: string; reason: 'score' | 'margin' };

/** Sorts the image into its best class if the score and margin reach the rule's; otherwise sends it to review. */
export function decide(ranking: Ranking, rule: DecisionRule): Decision {
  // Written as negations so that a NaN score goes to review.
  if (!(ranking.score >= rule.threshold))
    return { kind: 'review', suggestion: ranking.best, reason: 'score' };
  if (!(ranking.margin >= rule.margin)) return { kind: 'review', suggestion: ranking.best, reason: 'margin' };
  return { kind: 'sort', class: ranking.best };
}
