import { SingleBar, Presets } from 'cli-progress';
import type { Client } from '../api/client.js';

/** A progress reporter: `update(done, total)` while working, `stop()` at the end. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal and output is for people; silent otherwise, so `--json` and
 * pipes stay parseable.
 */
export function createProgress(label: string, options: { json?: boolean; unit?: string } = {}): Progress {
  if (options.json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${options.unit ?? ''} | {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * A progress bar for the `embedding` events of the commands `work` runs (search, evaluation, classify, embed);
 * it stops when `work` ends.
 */
export async function withEmbeddingProgress<T>(
  client: Client,
  options: { json?: boolean },
  work: () => Promise<T>,
): Promise<T> {
  const progress = createProgress('Embedding', { json: options.json, unit: 'images' });
  const stop = client.on('embedding', ({ done, total }) => progress.update(done, total));
  try {
    return await work();
  } finally {
    stop();
    progress.stop();
  }
}
