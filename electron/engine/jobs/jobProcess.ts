import { ClipSortError } from '../errors.js';
import { ChildChannel, ChildCrashedError } from '../process/childChannel.js';
import type { JobInput, JobName, JobReply, JobRequest, JobResult } from './jobs.js';

const jobWorker = new URL(
  import.meta.url.endsWith('.ts') ? './jobWorker.ts' : './jobWorker.js',
  import.meta.url,
);

/**
 * An idle analysis process is ended after this long, handing its memory back (large jobs leave a big heap).
 */
const IDLE_MS = 30_000;

/**
 * Runs analysis jobs (jobs.ts) in a child process of their own, started on demand and ended when idle. Jobs
 * run one at a time there, in the order asked.
 */
export class JobProcess {
  private channel?: ChildChannel<JobRequest, JobReply>;
  private running = 0;
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly worker: URL = jobWorker) {}

  async run<J extends JobName>(job: J, input: JobInput<J>): Promise<JobResult<J>> {
    clearTimeout(this.idle);
    this.channel ??= new ChildChannel<JobRequest, JobReply>(this.worker);
    const channel = this.channel;
    this.running++;
    let reply: JobReply;
    try {
      reply = await channel.request({ job, input });
    } catch (error) {
      if (!(error instanceof ChildCrashedError)) throw error;
      throw new ClipSortError(
        'analysis-crashed',
        `The analysis stopped unexpectedly (${error.message}); the library may be too large for this ` +
          "computer's memory.",
      );
    } finally {
      if (--this.running === 0) {
        this.idle = setTimeout(() => void this.close(), IDLE_MS);
        this.idle.unref();
      }
    }
    if (reply.ok) return reply.result as JobResult<J>;
    const { code, message } = reply.error;
    throw code ? new ClipSortError(code, message) : new Error(`analysis failed: ${message}`);
  }

  /** Ends the process; jobs in flight are rejected. A later `run` starts a new one. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close();
  }
}

/** The engine's analysis process, shared by every library and face. */
const shared = new JobProcess();

/** Runs an analysis job off the engine's thread. */
export function runJob<J extends JobName>(job: J, input: JobInput<J>): Promise<JobResult<J>> {
  return shared.run(job, input);
}
