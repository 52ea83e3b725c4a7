import type { Mode, Ranking } from './scores.js';

/** When a prediction is trusted: its score and its margin over the runner-up must both reach these. */
export interface DecisionRule {
  threshold: number;
  margin: number;
}

/**
 * Defaults per mode; each mode's score lives on its own scale.
 *
 * | mode   | score                                  | threshold | margin | why                                                                                      |
 * | ------ | -------------------------------------- | --------- | ------ | ---------------------------------------------------------------------------------------- |
 * | avg    | mean cosine to the references (−1..1)  | 0.60      | 0.02   | CLIP image↔image: same kind ≈ 0.7–0.85, unrelated ≈ 0.4–0.55; a mean over varied references runs lower than the best one |
 * | max    | cosine to the closest reference        | 0.70      | 0.02   | the closest reference of the right class is usually ≥ 0.75; below 0.7 the image is like none of them |
 * | text   | softmax probability (logit scale 100)  | 0.50      | 0.20   | more likely than all other classes together, and clearly ahead of the runner-up          |
 * | hybrid | softmax probability                    | 0.50      | 0.20   | as text                                                                                  |
 * | probe  | softmax probability                    | 0.50      | 0.20   | as text                                                                                  |
 *
 * Cosine margins are small because cosines of different classes crowd together (0.02 is a near tie); a
 * probability margin of 0.2 with two classes means at least 0.6 against 0.4. With a single class a
 * probability is always 1, so only the cosine modes can send its images to review.
 */
export const DEFAULT_DECISION: Readonly<Record<Mode, Readonly<DecisionRule>>> = {
  avg: { threshold: 0.6, margin: 0.02 },
  max: { threshold: 0.7, margin: 0.02 },
  text: { threshold: 0.5, margin: 0.2 },
  hybrid: { threshold: 0.5, margin: 0.2 },
  probe: { threshold: 0.5, margin: 0.2 },
};

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
