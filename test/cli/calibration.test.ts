/**
 * `clipsort eval --classes` makes the promise of the calibrated rule: with a few references it says they are too
 * few and files nothing automatically; with enough, how much it will file and how often it may be wrong.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const model = ['--model-dir', colourModelDir];
type Evaluation = CommandResult<'eval.classes'>;

describe('clipsort eval --classes: the calibrated promise', () => {
  const tempDir = useTempDirs();

  it('says a few references cannot support the promise, and files nothing automatically', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const result = runClipsortJson<Evaluation>(['eval', root, '--classes', ...model]);
    expect(result.calibration).toMatchObject({
      mode: 'hybrid',
      maxError: 0.02,
      rule: null,
      expectedCoverage: 0,
      labelled: result.references,
      fewest: 217,
    });
    const text = runClipsort(['eval', root, '--classes', ...model]).stdout;
    expect(text).toMatch(
      /Calibrated for hybrid mode at 2\.0%: too few labelled photos to promise it \(based on 8 labelled photos; it takes at least 217\)/,
    );
  });

  it('files what it can promise with enough references, at most 2 % of them in the wrong class', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // Seventy references per class, in every shade, some cluttered by another colour.
    let seed = 100;
    for (const [colour, shades] of Object.entries(COLOURS)) {
      for (let i = 0; i < 70; i++) {
        await writeColourImage(
          path.join(root, 'Classes', colour, `many-${i}.png`),
          shades[i % shades.length]!,
          {
            seed: seed++,
            clutter: (i % 3) / 10,
            width: 40,
            height: 30,
          },
        );
      }
    }
    const result = runClipsortJson<Evaluation>(['eval', root, '--classes', ...model]);
    const calibration = result.calibration!;
    expect(calibration.labelled).toBe(result.references);
    expect(calibration.rule).not.toBeNull();
    expect(calibration.expectedError).toBeLessThanOrEqual(0.02);
    expect(calibration.observedError).toBeLessThanOrEqual(calibration.expectedError);
    expect(calibration.expectedCoverage).toBeGreaterThan(0.2);
    expect(Object.keys(calibration.perClass).sort()).toEqual(result.classes.toSorted());
    const filed = Object.values(calibration.perClass).reduce((sum, c) => sum + c.coverage * c.labelled, 0);
    expect(filed / calibration.labelled).toBeCloseTo(calibration.expectedCoverage, 6);
    const text = runClipsort(['eval', root, '--classes', ...model]).stdout;
    expect(text).toMatch(
      /Calibrated for hybrid mode \(based on \d+ labelled photos\): about [\d.]+% of new photos will be filed automatically; at most 2\.0% of those in the wrong class/,
    );
    // The risk–coverage curve of each mode ends with everything filed, wrong as often as the mode is inaccurate,
    // and the calibrated point is one of its points.
    for (const [mode, { points }] of Object.entries(result.curves)) {
      expect(points.length).toBeGreaterThan(1);
      expect(points.at(-1)!.coverage).toBe(1);
      expect(points.at(-1)!.error).toBeCloseTo(1 - result.modes[mode as keyof typeof result.modes]!, 9);
      const coverages = points.map((point) => point.coverage);
      expect(coverages).toEqual([...coverages].sort((x, y) => x - y));
    }
    expect(result.curves.hybrid.chosen).toEqual({
      coverage: calibration.expectedCoverage,
      error: calibration.observedError,
    });
    // Allowing more errors files more; a share that is no fraction is refused as a usage error.
    const looser = runClipsortJson<Evaluation>(['eval', root, '--classes', '--max-error', '0.1', ...model]);
    expect(looser.calibration).toMatchObject({ maxError: 0.1 });
    expect(looser.calibration!.expectedCoverage).toBeGreaterThanOrEqual(calibration.expectedCoverage);
    expect(looser.calibration!.expectedError).toBeLessThanOrEqual(0.1);
    const refused = runClipsort(['eval', root, '--classes', '--max-error', '2', ...model]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--max-error.*Expected a fraction between 0 and 1/);
  });
});
