import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { memberParts } from '../../electron/engine/library/fileGroups.js';
import { nameKey } from '../../electron/engine/move/freeName.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes } from '../helpers/tree.js';
import { acrossDevices, acrossDevicesNote, useFarDirs } from './farDevice.js';
import {
  contentMultiset,
  integrityCheck,
  hashAt,
  putFile,
  sha256,
  temporaryFiles,
  walk,
} from './moveLibrary.js';

const tempDir = useTempDirs();
const farDir = useFarDirs();
const childScript = path.join(import.meta.dirname, 'moveInChild.ts');
const CLASSES = ['a', 'b', 'c'];

interface ChildRun {
  killed: boolean;
  code: number | null;
  output: string;
  /** Milliseconds from `ready` to the exit. */
  ranMs: number;
}

/**
 * Runs the sorting child on `root`. `kill` is called once the child is ready, with a function that kills it with
 * SIGKILL; without it the child runs to the end.
 */
function runChild(
  root: string,
  kill?: (killNow: () => void, exited: () => boolean) => void,
): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, root, CLASSES.join(',')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let readyAt = 0;
  let exited = false;
  const killNow = () => child.kill('SIGKILL');
  const guard = setTimeout(killNow, 30_000); // never outlive the test
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (readyAt === 0 && (output + text).includes('ready\n')) {
      readyAt = performance.now();
      kill?.(killNow, () => exited);
    }
    output += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(guard);
      resolve({ killed: signal === 'SIGKILL', code, output, ranMs: performance.now() - readyAt });
    }),
  );
}

/** An inbox of `count` small files whose names collide within and across folders, and with Dataset/a. */
async function makeInbox(root: string, count: number): Promise<void> {
  const names = [
    'photo.jpg',
    'Photo.JPG',
    'café.jpg',
    'cafe\u0301.jpg',
    '🏖️ beach.jpg',
    '-x.jpg',
    'IMG (2).jpg',
  ];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      putFile(root, `Images/day${Math.floor(i / names.length)}/${names[i % names.length]}`),
    ),
  );
  await putFile(root, 'Dataset/a/photo.jpg');
  await putFile(root, 'Dataset/a/PHOTO (2).jpg');
}

/** Puts the library's Dataset folder on another device (a link to a folder in /dev/shm). */
async function datasetFarAway(root: string): Promise<void> {
  await symlink(await farDir(), path.join(root, 'Dataset'));
}

/**
 * Recovers after a crash and checks the promises: every file once, no planned rows, no temporary files, a sound
 * database, and every row of the interrupted run telling the truth about where its file is.
 */
async function recoverAndCheck(root: string, before: string[], firstRow: number) {
  const index = LibraryIndex.open(root);
  const report = await recoverMoves(root, index);
  expect(report.problems).toEqual([]);
  expect(index.moves.planned()).toEqual([]);
  const rows = index.moves.recent(10_000).filter((row) => row.id >= firstRow);
  index.close();
  for (const row of rows) {
    const at = row.state === 'done' ? row.destination : row.source;
    expect(await hashAt(root, at), `row ${row.id} (${row.state})`).toBe(row.sha256);
  }
  expect(await contentMultiset(root)).toEqual(before);
  expect(await temporaryFiles(root)).toEqual([]);
  expect(integrityCheck(root)).toBe('ok');
  return { report, rows };
}

/** The id the next journal row will get. */
function nextRowId(root: string): number {
  const index = LibraryIndex.open(root);
  try {
    return (index.moves.recent(1)[0]?.id ?? 0) + 1;
  } finally {
    index.close();
  }
}

const random = (max: number) => Math.floor(Math.random() * max);

/** The members of each group `makeGroupInbox` writes, by stem. */
const GROUP_MEMBERS = [
  (stem: string) => [`${stem}.JPG`, `${stem}.CR2`, `${stem}.JPG.xmp`],
  (stem: string) => [`${stem}.HEIC`, `${stem.toLowerCase()}.mov`, `${stem}.AAE`],
];

/**
 * An inbox of `count` groups (RAW+JPEG pairs with a sidecar, Live Photos with an edit file), whose names are
 * taken in Dataset/a, so that groups are renamed together. Resolves to each group's members' sha256.
 */
async function makeGroupInbox(root: string, count: number): Promise<string[][]> {
  const groups: string[][] = [];
  for (let i = 0; i < count; i++) {
    const stem = `IMG_${String(i).padStart(4, '0')}`;
    const members = GROUP_MEMBERS[i % GROUP_MEMBERS.length]!(stem);
    groups.push(
      await Promise.all(members.map(async (name) => sha256(await putFile(root, `Images/${name}`)))),
    );
  }
  await putFile(root, 'Dataset/a/IMG_0000.CR2');
  await putFile(root, 'Dataset/a/img_0003.AAE');
  return groups;
}

/** Expects every group whole on one side: all its files in one folder, under one stem and one number. */
async function expectGroupsWhole(root: string, groups: readonly string[][]): Promise<void> {
  const where = new Map<string, string>();
  for (const folder of ['Images', 'Dataset']) {
    for (const [file, hash] of await treeHashes(path.join(root, folder)))
      where.set(hash, `${folder}/${file}`);
  }
  for (const group of groups) {
    const paths = group.map((hash) => where.get(hash)!);
    const stems = paths.map((file) => nameKey(memberParts(path.posix.basename(file)).stem));
    expect(new Set(paths.map((file) => path.posix.dirname(file))).size, paths.join(', ')).toBe(1);
    expect(new Set(stems).size, paths.join(', ')).toBe(1);
  }
}

describe('killed with SIGKILL while moving', () => {
  it('keeps every file exactly once over 20 crashes at random points, then finishes the job', async () => {
    const started = performance.now();
    // Measure a whole run first, so that the kills spread over the moves.
    const calibration = await tempDir('clipsort-crash-');
    await makeInbox(calibration, 200);
    const everything = await contentMultiset(calibration);
    const full = await runChild(calibration);
    expect(full.output).toContain('done 200');
    expect(await walk(path.join(calibration, 'Images'))).toEqual([]);
    expect(await contentMultiset(calibration)).toEqual(everything);

    /** One crash: a fresh library, a run killed after a random delay, recovery and the checks. */
    const crashRound = async (round: number): Promise<boolean> => {
      const root = await tempDir('clipsort-crash-');
      if (round % 2 === 1 && acrossDevices) await datasetFarAway(root);
      await makeInbox(root, 200);
      const before = await contentMultiset(root);
      const delay = random(full.ranMs);
      const run = await runChild(root, (killNow) => setTimeout(killNow, delay));
      expect(run.killed || run.code === 0, run.output).toBe(true);

      const { report, rows } = await recoverAndCheck(root, before, 1);
      // Moves are sequential: at most the one in flight was left unfinished.
      expect(report.finished + report.rolledBack).toBeLessThanOrEqual(1);
      expect(rows.every((row) => row.state !== 'failed')).toBe(true);

      if (round % 10 === 9) {
        // The library still works: the next run sorts what is left.
        const firstRow = nextRowId(root);
        const rest = await runChild(root);
        expect(rest.output).toMatch(/done \d+/);
        expect(await walk(path.join(root, 'Images'))).toEqual([]);
        await recoverAndCheck(root, before, firstRow);
      }
      return run.killed && report.finished + report.rolledBack === 1;
    };

    // Two rounds at a time (one per core): each child mostly waits for its disk flushes.
    const rounds = 20;
    let interrupted = 0;
    for (let round = 0; round < rounds; round += 2) {
      const hits = await Promise.all([crashRound(round), crashRound(round + 1)]);
      interrupted += hits.filter(Boolean).length;
    }
    // Most kills land inside a move rather than between two.
    expect(interrupted).toBeGreaterThanOrEqual(rounds / 4);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('keeps every group whole, each file exactly once, over 12 crashes at random points', async () => {
    const calibration = await tempDir('clipsort-crash-');
    const groups = await makeGroupInbox(calibration, 60);
    const full = await runChild(calibration);
    expect(full.output).toContain('done 60');
    expect(await walk(path.join(calibration, 'Images'))).toEqual([]);
    await expectGroupsWhole(calibration, groups);

    const crashRound = async (round: number): Promise<boolean> => {
      const root = await tempDir('clipsort-crash-');
      if (round % 2 === 1 && acrossDevices) await datasetFarAway(root);
      const inbox = await makeGroupInbox(root, 60);
      const before = await contentMultiset(root);
      const run = await runChild(root, (killNow) => setTimeout(killNow, random(full.ranMs)));
      expect(run.killed || run.code === 0, run.output).toBe(true);
      const { report } = await recoverAndCheck(root, before, 1);
      // Groups move one at a time: at most the files of the one in flight were left unfinished.
      expect(report.finished + report.rolledBack).toBeLessThanOrEqual(3);
      await expectGroupsWhole(root, inbox);
      return run.killed && report.finished + report.rolledBack > 0;
    };
    const rounds = 12;
    let interrupted = 0;
    for (let round = 0; round < rounds; round += 2) {
      const hits = await Promise.all([crashRound(round), crashRound(round + 1)]);
      interrupted += hits.filter(Boolean).length;
    }
    expect(interrupted).toBeGreaterThanOrEqual(rounds / 4);
  }, 90_000);

  it.skipIf(!acrossDevices)(
    `never leaves a partial copy behind when killed while copying a large file to another device${acrossDevicesNote}`,
    async () => {
      const size = 30 * 1024 * 1024;
      const bytes = randomBytes(size);
      let partials = 0;
      for (let attempt = 0; attempt < 8 && !(partials >= 2 && attempt >= 4); attempt++) {
        const root = await tempDir('clipsort-crash-big-');
        await datasetFarAway(root);
        await putFile(root, 'Images/big.jpg', bytes);
        const firstRow = nextRowId(root);
        const far = resolveLibraryPath(root, 'Dataset');
        const byPartial = attempt % 2 === 0;
        let sawPartial = false;
        const run = await runChild(root, (killNow, exited) => {
          if (!byPartial) {
            setTimeout(killNow, random(400));
            return;
          }
          // Kill as soon as a temporary copy is partly written.
          const poll = async () => {
            while (!exited()) {
              const names = await readdir(path.join(far, 'a')).catch(() => []);
              for (const name of names.filter((n) => n.endsWith('.tmp'))) {
                const written = (await stat(path.join(far, 'a', name)).catch(() => undefined))?.size ?? 0;
                if (written > 0 && written < size) {
                  sawPartial = true;
                  killNow();
                  return;
                }
              }
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          };
          void poll();
        });
        expect(run.killed || run.code === 0, run.output).toBe(true);
        if (sawPartial && run.killed) partials++;
        const { report } = await recoverAndCheck(root, [sha256(bytes)], firstRow);
        if (sawPartial) expect(report.rolledBack).toBe(1);
        const where = [
          ...(await walk(path.join(root, 'Images'))).map((f) => `Images/${f}`),
          ...(await walk(far)).map((f) => `Dataset/${f}`),
        ];
        expect(where).toHaveLength(1);
        expect(where[0]).toMatch(/^(Images\/big\.jpg|Dataset\/a\/big\.jpg)$/);
        await mkdir(path.join(far, 'a'), { recursive: true });
      }
      expect(partials).toBeGreaterThanOrEqual(1);
    },
    60_000,
  );
});
