/**
 * People's decisions are evidence: an undone automatic move says the image was not of that class, filing an
 * image by hand says which class it is (a correction when sorting suggested another). `eval --classes` counts
 * them in its promise and lists the corrections; `sort --max-error` decides by the calibrated rule, and says
 * when the labelled photos are too few to promise anything.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { encodeImage } from '../../electron/engine/imaging/imageCodec.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const model = ['--model-dir', colourModelDir];
type SortJson = CommandResult<'sort.pass'>;
type Evaluation = CommandResult<'eval.classes'>;
type Promised = CommandResult<'eval.promise'>;

/** A picture half red, half blue. */
function halves(width = 96, height = 64) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++)
    data.set(i % width < width / 2 ? [220, 30, 30] : [30, 40, 220], i * 3);
  return { data, width, height, channels: 3 as const };
}

function labelsOf(root: string) {
  const index = LibraryIndex.open(root);
  try {
    return index.labels.list();
  } finally {
    index.close();
  }
}

describe('learning from what people decide', () => {
  const tempDir = useTempDirs();

  it('keeps undos and hand filing as labels, counts them in the promise, and lists the corrections', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const sorted = runClipsortJson<SortJson>(['sort', root, ...model, '--threshold', '0', '--margin', '0']);
    expect(sorted.sorted.length).toBe(12);
    const before = runClipsortJson<Evaluation>(['eval', root, '--classes', ...model]);

    // Undoing the run: every automatic move was wrong, as far as the person says.
    runClipsortJson(['undo', root, ...model]);
    const undone = labelsOf(root);
    expect(undone).toHaveLength(12);
    expect(undone.every((label) => label.source === 'undone' && !label.correct)).toBe(true);
    const red = sorted.sorted.find((image) => image.file === 'Images/red-0.jpg')!;
    expect(undone.find((label) => label.class === red.class)).toBeDefined();

    // Filing one by hand under another class than suggested is a correction; one as suggested, an acceptance.
    const waiting = runClipsortJson<{ review: CommandResult<'review.list'>['items'] }>([
      'review',
      root,
    ]).review;
    const redItem = waiting.find((item) => item.file === 'Images/red-0.jpg')!;
    expect(redItem.best).toBe('red');
    runClipsortJson(['assign', root, 'Images/red-0.jpg', 'blue']);
    runClipsortJson(['assign', root, 'Images/green-0.jpg', 'green']);
    const labels = labelsOf(root);
    expect(labels.filter((label) => label.source === 'corrected')).toMatchObject([
      { class: 'blue', suggested: 'red', correct: true, mode: 'hybrid' },
    ]);
    expect(labels.filter((label) => label.source === 'accepted')).toMatchObject([
      { class: 'green', suggested: 'green', correct: true },
    ]);

    const after = runClipsortJson<Evaluation>(['eval', root, '--classes', ...model]);
    // The ten images still undone are predicted into the class they were taken out of: ten certain errors; the
    // two filed by hand are labelled by their newest label.
    expect(after.calibration!.labelled).toBe(before.references + 12);
    expect(after.references).toBe(before.references);
    const undoneFromBlue = sorted.sorted.filter((image) => image.class === 'blue').length;
    expect(after.corrections.perClass.blue).toEqual({ corrected: 1, undone: undoneFromBlue });
    expect(after.corrections.confusions).toEqual([{ suggested: 'red', chosen: 'blue', count: 1 }]);
    const text = runClipsort(['eval', root, '--classes', ...model]).stdout;
    expect(text).toContain('correction: 1 photo suggested as "red" belonged in "blue"');

    // Undoing the hand filing takes its label back.
    runClipsortJson(['undo', root, ...model]);
    expect(labelsOf(root).filter((label) => label.source === 'accepted')).toEqual([]);
  });

  it('by default files by the fixed rule until a promise can be made, and eval --promise says so', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const promised = runClipsortJson<Promised>(['eval', root, '--promise', ...model]);
    expect(promised).toMatchObject({
      decideBy: 'error',
      untilCalibrated: 'threshold',
      calibration: { mode: 'hybrid', maxError: 0.02, rule: null, labelled: 8, fewest: 217 },
    });
    expect(Object.keys(promised.calibration!.perClass).sort()).toEqual(['blue', 'green', 'red', 'yellow']);
    const text = runClipsort(['eval', root, '--promise', ...model]).stdout;
    expect(text).toContain(
      'too few labelled photos to promise it (based on 8 labelled photos; it takes at least 217)',
    );
    expect(text).toContain('Until there are more, new photos are filed by the fixed threshold and margin');
    const sorted = runClipsort(['sort', root, ...model, '--json']);
    expect(sorted.stderr).toBe('');
    expect((JSON.parse(sorted.stdout) as SortJson).sorted.length).toBeGreaterThan(0);
  });

  it('sort --max-error holds every photo while the labelled photos are too few, and says so', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const result = runClipsort(['sort', root, ...model, '--max-error', '0.02', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as SortJson;
    expect(report.sorted).toEqual([]);
    expect(report.review).toHaveLength(12);
    expect(report.review.every((item) => item.reason === 'evidence')).toBe(true);
    expect(result.stderr).toMatch(
      /Too few labelled photos to promise at most 2\.0 % in the wrong class \(based on 8 labelled photos; it takes at least 217\)/,
    );
    const text = runClipsort(['sort', root, ...model, '--max-error', '0.02', '--recheck']).stdout;
    expect(text).toContain('too few labelled photos yet');
  });

  it('sort --max-error files the clear photos once the labelled photos support it, and leaves the doubtful ones', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    let seed = 500;
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
    // A grey image and an image half red, half blue: neither is clearly of one class.
    await writeColourImage(path.join(root, 'Images/grey.png'), [128, 128, 128], { seed: 1 });
    await writeFile(path.join(root, 'Images/two.png'), await encodeImage(halves(), { format: 'png' }));
    const promised = runClipsortJson<Promised>(['eval', root, '--promise', ...model]);
    expect(promised.calibration!.labelled).toBe(8 + 4 * 70);
    expect(promised.calibration!.perClass.red!.labelled).toBe(2 + 70);
    const result = runClipsort(['sort', root, ...model, '--mode', 'avg', '--max-error', '0.05', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as SortJson;
    expect(result.stderr).toMatch(/About [\d.]+ % of new photos will be filed automatically, at most 5\.0 %/);
    for (const image of report.sorted) {
      expect(image.file.startsWith(`Images/${image.class}-`), image.file).toBe(true);
    }
    expect(report.sorted.length).toBeGreaterThan(0);
    const waiting = report.review.map((item) => item.file);
    expect(waiting).toEqual(expect.arrayContaining(['Images/grey.png', 'Images/two.png']));
  });
});
