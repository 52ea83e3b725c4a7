import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { writeColourImage, type Rgb } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const model = ['--model-dir', colourModelDir];

/**
 * A library of plain pictures, one per hue at least 30° from the others (cosine below 0.91 for the colour
 * model), except three reds of different shades and an orange "sunset" kept three times: the file, a byte copy,
 * and a smaller JPEG of the same picture.
 */
async function library(root: string): Promise<void> {
  const plain = (file: string, colour: Rgb, seed: number, size?: { width: number; height: number }) =>
    writeColourImage(path.join(root, file), colour, { seed, clutter: 0, ...size });
  await mkdir(path.join(root, 'Images'), { recursive: true });
  await plain('Images/red-a.png', [220, 30, 30], 1);
  await plain('Dataset/warm/red-b.jpg', [180, 20, 40], 2);
  await plain('Classes/red/ref.png', [255, 90, 80], 3);
  await plain('Images/yellow.png', [230, 220, 30], 4);
  await plain('Images/green.png', [30, 200, 40], 5);
  await plain('Dataset/cool/cyan.webp', [30, 210, 220], 6);
  await plain('Images/blue.png', [30, 40, 220], 7);
  await plain('Images/sunset.png', [240, 120, 30], 8, { width: 200, height: 120 });
  await copyFile(path.join(root, 'Images/sunset.png'), path.join(root, 'Dataset/warm/sunset copy.png'));
  await plain('Dataset/warm/sunset small.jpg', [240, 120, 30], 8, { width: 100, height: 60 });
}

interface SearchJson {
  text: string;
  results: { file: string; score: number }[];
  cut: number;
  errors: unknown[];
}

describe('clipsort search', () => {
  const tempDir = useTempDirs();

  it('lists the images closest to a text first, from the inbox, the classes and the sorted images', async () => {
    const root = await tempDir();
    await library(root);
    const red = runClipsortJson<SearchJson>(['search', root, 'red', '--limit', '4', '--all', ...model]);
    expect(red.text).toBe('red');
    expect(red.results).toHaveLength(4);
    expect(
      red.results
        .slice(0, 3)
        .map((r) => r.file)
        .sort(),
    ).toEqual(['Classes/red/ref.png', 'Dataset/warm/red-b.jpg', 'Images/red-a.png']);
    const scores = red.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[2]).toBeGreaterThan(0.95);
    expect(scores[3]).toBeLessThan(0.95);

    const cyan = runClipsortJson<SearchJson>(['search', root, 'a cyan', '--all', ...model]);
    expect(cyan.results[0]!.file).toBe('Dataset/cool/cyan.webp');
    expect(cyan.results).toHaveLength(10);
    expect(cyan.cut).toBe(0);
    expect(cyan.errors).toEqual([]);
  });

  it('lists down to the relevance cut, and says how many it left out', async () => {
    const root = await tempDir();
    await library(root);
    const red = runClipsortJson<SearchJson>(['search', root, 'red', ...model]);
    expect(red.results.length).toBeGreaterThanOrEqual(3);
    expect(red.results.length).toBeLessThan(10);
    expect(red.results.length + red.cut).toBe(10);
    const text = runClipsort(['search', root, 'red', ...model]);
    expect(text.stdout).toContain(`${red.cut} less relevant images left out: --all lists them.`);
  });

  it('prints a score and a file per line for people', async () => {
    const root = await tempDir();
    await library(root);
    const result = runClipsort(['search', root, 'blue', '--limit', '1', ...model]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^0\.9\d\d {2}Images\/blue\.png\n$/);
  });

  it('refuses a blank text in one line, as the page refuses it', async () => {
    const root = await tempDir();
    await library(root);
    const result = runClipsort(['search', root, '   ', ...model]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^clipsort: search\.text: text: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

interface SimilarJson extends Omit<SearchJson, 'text'> {
  file: string;
}

describe('clipsort similar', () => {
  const tempDir = useTempDirs();

  it("lists a picture's copies first and leaves the picture itself out, named in the library or by its path", async () => {
    const root = await tempDir();
    await library(root);
    const sunset = runClipsortJson<SimilarJson>(['similar', root, 'Images/sunset.png', '--all', ...model]);
    expect(sunset.file).toBe('Images/sunset.png');
    expect(sunset.results).toHaveLength(9);
    expect(sunset.results.map((r) => r.file)).not.toContain('Images/sunset.png');
    expect(
      sunset.results
        .slice(0, 2)
        .map((r) => r.file)
        .sort(),
    ).toEqual(['Dataset/warm/sunset copy.png', 'Dataset/warm/sunset small.jpg']);
    expect(sunset.results[1]!.score).toBeGreaterThan(0.999);
    expect(sunset.results[2]!.score).toBeLessThan(0.999);
    const scores = sunset.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Down to the relevance cut, the copies stay and the other hues go.
    const cut = runClipsortJson<SimilarJson>([
      'similar',
      root,
      path.join(root, 'Images/red-a.png'),
      ...model,
    ]);
    expect(cut.file).toBe('Images/red-a.png');
    expect(cut.results.map((r) => r.file).sort()).toEqual(
      expect.arrayContaining(['Classes/red/ref.png', 'Dataset/warm/red-b.jpg']),
    );
    expect(cut.results.length + cut.cut).toBe(9);
    expect(cut.cut).toBeGreaterThan(0);
    const text = runClipsort(['similar', root, 'Images/red-a.png', '--limit', '1', ...model]);
    expect(text.stdout).toMatch(/^0\.9\d\d {2}(Classes\/red\/ref\.png|Dataset\/warm\/red-b\.jpg)\n/);
  });

  it('says why a file cannot be searched by: missing, not an image, unreadable, outside the library', async () => {
    const root = await tempDir();
    await library(root);
    await writeFile(path.join(root, 'Images/notes.txt'), 'a shopping list');
    await writeFile(path.join(root, 'Dataset/broken.png'), 'not an image');
    const refused = (file: string) => runClipsort(['similar', root, file, ...model]);
    expect(refused('Images/gone.png').stderr).toMatch(/Images\/gone\.png is not in the library/);
    expect(refused('Images/notes.txt').stderr).toMatch(/Images\/notes\.txt is not an image ClipSort reads/);
    expect(refused('Dataset/broken.png').stderr).toMatch(
      /Dataset\/broken\.png could not be read: .*not an image/,
    );
    const outside = refused('../elsewhere.png');
    expect(outside.stderr).toMatch(/is not inside the library/);
    for (const result of [refused('Images/gone.png'), outside]) expect(result.code).not.toBe(0);
  });
});

interface DuplicatesJson {
  threshold: number;
  images: number;
  groups: { files: string[]; similarity: number }[];
  errors: { file: string; error: string }[];
}

describe('clipsort duplicates', () => {
  const tempDir = useTempDirs();

  it('groups a picture with its copy and its resized re-encoding, and shades of one hue', async () => {
    const root = await tempDir();
    await library(root);
    const result = runClipsortJson<DuplicatesJson>(['duplicates', root, ...model]);
    expect(result).toMatchObject({ threshold: 0.95, images: 10, errors: [] });
    // The three reds are shades of one hue: the colour model sees them as near-copies too.
    expect(result.groups.map((g) => g.files)).toEqual([
      ['Images/sunset.png', 'Dataset/warm/sunset copy.png', 'Dataset/warm/sunset small.jpg'],
      ['Images/red-a.png', 'Classes/red/ref.png', 'Dataset/warm/red-b.jpg'],
    ]);
    expect(result.groups[0]!.similarity).toBeGreaterThan(0.999);
    expect(result.groups[1]!.similarity).toBeGreaterThanOrEqual(0.95);
  });

  it('takes a threshold, and refuses one below 0.5', async () => {
    const root = await tempDir();
    await library(root);
    const strict = runClipsortJson<DuplicatesJson>(['duplicates', root, '--threshold', '0.9995', ...model]);
    expect(strict.groups.map((g) => g.files.length)).toEqual([3]);
    const text = runClipsort(['duplicates', root, '--threshold', '0.9995', ...model]);
    expect(text.stdout).toMatch(/^1 group of near-duplicates among 10 images \(threshold 0\.9995\):\n/);
    expect(text.stdout).toMatch(/similarity 1\.000:\n {2}.*sunset/);
    const low = runClipsort(['duplicates', root, '--threshold', '0.3', ...model]);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/argument '0\.3' is invalid\. Expected a similarity from 0\.5 to 1\./);
  });
});

describe('images that cannot be embedded', () => {
  const tempDir = useTempDirs();

  it('are named by search and duplicates, which go on with the others', async () => {
    const root = await tempDir();
    await library(root);
    await writeFile(path.join(root, 'Dataset/broken.png'), 'not an image');
    const broken = [{ file: 'Dataset/broken.png', error: expect.stringMatching(/not an image/) as string }];
    const search = runClipsortJson<SearchJson>(['search', root, 'blue', '--limit', '1', ...model]);
    expect(search.results.map((r) => r.file)).toEqual(['Images/blue.png']);
    expect(search.errors).toEqual(broken);
    const text = runClipsort(['search', root, 'blue', '--limit', '1', ...model]);
    expect(text.stdout).toMatch(/^0\.9\d\d {2}Images\/blue\.png\nerror: .*not an image.*\n$/);
    const duplicates = runClipsortJson<DuplicatesJson>(['duplicates', root, ...model]);
    expect(duplicates).toMatchObject({ images: 10, errors: broken });
  });
});
