/**
 * A long crash soak of the mover, run by hand: sorts libraries in a child process, kills it with SIGKILL at a
 * random moment, recovers, and checks that every file exists exactly once, no journal row is left planned, no
 * temporary file remains and the database is sound. Odd rounds keep Dataset/ on another device (/dev/shm) when
 * there is one; some rounds include a large file so that kills land inside cross-device copies.
 *
 *   npx tsx test/move/soak.ts --rounds 500
 *
 * Stops at the first broken promise and keeps that library for inspection; exits 1 then.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { contentMultiset, hashAt, integrityCheck, putFile, temporaryFiles } from './moveLibrary.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '100' } } });
const rounds = Number(values.rounds);
const childScript = path.join(import.meta.dirname, 'moveInChild.ts');
const far =
  existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(os.tmpdir()).dev ? '/dev/shm' : '';

/** Runs the sorting child and kills it `killAfterMs` after it is ready (never when undefined). */
function runChild(
  root: string,
  killAfterMs?: number,
): Promise<{ killed: boolean; ranMs: number; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, root, 'a,b,c'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let readyAt = 0;
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (readyAt === 0 && (output + text).includes('ready\n')) {
      readyAt = performance.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
    output += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`the child failed (${code}):\n${output}`));
      else resolve({ killed: signal === 'SIGKILL', ranMs: performance.now() - readyAt, output });
    }),
  );
}

/** A library with `count` small files (colliding names) and, sometimes, one large one. */
async function makeLibrary(round: number, count: number, large: boolean) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'clipsort-soak-'));
  const farDir = far && round % 2 === 1 ? await mkdtemp(path.join(far, 'clipsort-soak-')) : '';
  if (farDir) await symlink(farDir, path.join(root, 'Dataset'));
  const names = ['photo.jpg', 'Photo.JPG', 'café.jpg', 'cafe\u0301.jpg', '🏖️.jpg', '-x.jpg', 'a (2).jpg'];
  for (let i = 0; i < count; i++) {
    await putFile(root, `Images/d${Math.floor(i / names.length)}/${names[i % names.length]}`);
  }
  if (large) await putFile(root, 'Images/large.jpg', randomBytes(20 * 1024 * 1024));
  await putFile(root, 'Dataset/a/photo.jpg');
  return { root, farDir };
}

/** Recovers and lists every broken promise. */
async function recoverAndCheck(
  root: string,
  before: string[],
): Promise<{ broken: string[]; unfinished: number }> {
  const broken: string[] = [];
  const index = LibraryIndex.open(root);
  const report = await recoverMoves(root, index);
  const planned = index.moves.planned().length;
  const rows = index.moves.recent(100_000);
  index.close();
  if (report.problems.length > 0) broken.push(`problems: ${JSON.stringify(report.problems)}`);
  if (planned > 0) broken.push(`${planned} rows still planned`);
  for (const row of rows) {
    const at = row.state === 'done' ? row.destination : row.source;
    const hash = await hashAt(root, at).catch(() => 'missing');
    if (hash !== row.sha256) broken.push(`row ${row.id} (${row.state}) does not match ${at}`);
  }
  const after = await contentMultiset(root);
  if (after.join() !== before.join()) broken.push(`files: ${before.length} before, ${after.length} after`);
  const temporary = await temporaryFiles(root);
  if (temporary.length > 0) broken.push(`temporary files left: ${temporary.join(', ')}`);
  const integrity = integrityCheck(root);
  if (integrity !== 'ok') broken.push(`integrity_check: ${integrity}`);
  return { broken, unfinished: report.finished + report.rolledBack };
}

const started = performance.now();
let interrupted = 0;
let fullMs = 0;
let moves = 0;
for (let round = 0; round < rounds; round++) {
  const count = 20 + Math.floor(Math.random() * 200);
  const large = Math.random() < 0.2;
  const { root, farDir } = await makeLibrary(round, count, large);
  const before = await contentMultiset(root);
  // About one round in ten runs to the end, which also measures the speed.
  const killAfter = Math.random() < 0.1 ? undefined : Math.random() * (count * 5 + (large ? 300 : 0));
  const run = await runChild(root, killAfter);
  if (!run.killed) {
    fullMs += run.ranMs;
    moves += count + (large ? 1 : 0);
  }
  const { broken, unfinished } = await recoverAndCheck(root, before);
  if (run.killed && unfinished > 0) interrupted++;
  if (broken.length > 0) {
    console.error(
      `round ${round}: BROKEN (library kept at ${root}${farDir ? `, Dataset at ${farDir}` : ''})`,
    );
    for (const line of broken) console.error(`  ${line}`);
    process.exit(1);
  }
  await rm(root, { recursive: true, force: true });
  if (farDir) await rm(farDir, { recursive: true, force: true });
  if ((round + 1) % 10 === 0 || round + 1 === rounds) {
    const speed =
      fullMs > 0 ? `${Math.round((moves / fullMs) * 1000)} moves/s in full runs` : 'no full run yet';
    console.log(
      `${round + 1}/${rounds} rounds, ${interrupted} killed inside a move, ${speed}, ` +
        `${Math.round((performance.now() - started) / 1000)} s`,
    );
  }
}
console.log('every round kept every file exactly once');
