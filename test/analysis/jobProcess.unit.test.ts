import { afterAll, describe, expect, it } from 'vitest';
import { cluster } from '../../electron/engine/analysis/clustering.js';
import { JobProcess } from '../../electron/engine/jobs/jobProcess.js';
import { blobs } from './data.js';

describe('the analysis process', () => {
  const jobs = new JobProcess();
  afterAll(() => jobs.close());

  it('runs a job off the caller’s thread and answers what the job answers in-process', async () => {
    const data = blobs([200, 200, 200], 64, 0.3, 5);
    const request = { embeddings: data, method: 'kmeans' as const, k: 3, seed: 2 };
    // Warm up: the first job starts the process.
    await jobs.run('cluster', request);
    const heavy = blobs(
      Array.from({ length: 6 }, () => 400),
      128,
      0.5,
      6,
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    try {
      await jobs.run('elbow', { embeddings: heavy, kMin: 2, kMax: 8, seed: 1 });
    } finally {
      clearInterval(timer);
    }
    // Timers kept firing while the job ran (a job on this thread would have let at most one through).
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(ticks).toBeGreaterThan((performance.now() - started) / 50);
    const remote = await jobs.run('cluster', request);
    const local = cluster(request);
    expect(remote.labels).toEqual(local.labels);
    expect(remote.silhouette).toBe(local.silhouette);
  });

  it('passes a job’s error code on, and refuses an unknown job', async () => {
    const many = { data: new Float32Array(30_000), dims: 1 };
    await expect(jobs.run('cluster', { embeddings: many, method: 'dbscan', eps: 0.1 })).rejects.toMatchObject(
      {
        code: 'too-many-images',
      },
    );
    await expect(jobs.run('nonsense' as 'cluster', { embeddings: many, method: 'kmeans' })).rejects.toThrow(
      /no analysis job named nonsense/,
    );
  });
});
