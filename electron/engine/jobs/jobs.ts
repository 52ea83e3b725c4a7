/**
 * The jobs the analysis process runs: pure functions from one input to one result, both structured-cloneable
 * (typed arrays cross between the processes as such). To add a job, import its function and add one line
 * `name: fn,` to the table; `runJob('name', input)` (jobProcess.ts) then runs it off the engine's thread,
 * with the input and result types of `fn`. A job that throws a ClipSortError reaches the caller with its
 * code.
 */
import { findDuplicates } from '../evaluate/duplicates.js';
import type { ClassEmbeddings, Mode, TextScoring } from '../classify/scores.js';
import type { Evidence } from '../classify/corrections.js';
import { evaluateModes } from '../evaluate/modeAccuracy.js';
import { calibrateLibraryMode } from '../evaluate/modeCalibration.js';
import { cluster, elbow, kDistance } from '../analysis/clustering.js';
import type { Embeddings } from '../analysis/embeddings.js';
import { project, type ProjectionMethod } from '../analysis/projection.js';
import { rank } from '../analysis/ranking.js';

export const jobs = {
  project: ({
    embeddings,
    method,
    seed,
  }: {
    embeddings: Embeddings;
    method: ProjectionMethod;
    seed: number;
  }) => project(embeddings, method, seed),
  rank,
  cluster,
  elbow,
  kDistance,
  duplicates: findDuplicates,
  evaluateModes: ({
    classes,
    scoring,
    maxError,
    evidence,
  }: {
    classes: ClassEmbeddings[];
    scoring: TextScoring;
    maxError?: number;
    evidence?: Evidence;
  }) => evaluateModes(classes, { scoring, maxError }, evidence),
  calibrateMode: ({
    classes,
    scoring,
    mode,
    maxError,
    evidence,
  }: {
    classes: ClassEmbeddings[];
    scoring: TextScoring;
    mode: Mode;
    maxError: number;
    evidence: Evidence;
  }) => calibrateLibraryMode(classes, mode, maxError, { scoring }, evidence),
} satisfies Record<string, (input: never) => unknown>;

export type Jobs = typeof jobs;
export type JobName = keyof Jobs;
export type JobInput<J extends JobName> = Parameters<Jobs[J]>[0];
export type JobResult<J extends JobName> = Awaited<ReturnType<Jobs[J]>>;

/** Messages between the engine and the analysis process. */
export interface JobRequest {
  job: string;
  input: unknown;
}

export type JobReply =
  { ok: true; result: unknown } | { ok: false; error: { code?: string; message: string } };
