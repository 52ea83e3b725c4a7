/** What a library's sorters learn from its labels: evidence read from the index, calibrated in the analysis process. */
import { libraryEvidence } from '../../engine/evaluate/evidence.js';
import { runJob } from '../../engine/jobs/jobProcess.js';
import type { Learning } from '../../engine/sorting/learning.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';

export function libraryLearning(index: LibraryIndex, model: string): Learning {
  return {
    evidence: (set) => libraryEvidence(index, model, set),
    calibrate: (set, evidence, { mode, maxError }) =>
      runJob('calibrateMode', { classes: set.classes, scoring: set.scoring, mode, maxError, evidence }),
  };
}
