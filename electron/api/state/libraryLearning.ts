/** What a library's sorters learn from its labels: evidence read from the index, calibrated in the analysis process. */
import { fewestExamples } from '../../engine/classify/calibration.js';
import { libraryEvidence } from '../../engine/evaluate/evidence.js';
import { labelledCount } from '../../engine/evaluate/modeCalibration.js';
import { runJob } from '../../engine/jobs/jobProcess.js';
import type { Learning } from '../../engine/sorting/learning.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';

export function libraryLearning(index: LibraryIndex, model: string): Learning {
  return {
    evidence: (set) => libraryEvidence(index, model, set),
    async calibrate(set, evidence, { mode, maxError }) {
      const labelled = labelledCount(set.classes, evidence);
      if (set.classes.length < 2 || labelled === 0) return null;
      // Fewer than any rule needs, were they all right: no need to score them (a new library, most often).
      const fewest = fewestExamples(maxError);
      if (labelled < fewest) {
        return { rule: null, maxError, expectedCoverage: 0, expectedError: 0, labelled, fewest };
      }
      return runJob('calibrateMode', {
        classes: set.classes,
        scoring: set.scoring,
        mode,
        maxError,
        evidence,
      });
    },
  };
}
