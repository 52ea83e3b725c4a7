/**
 * The analysis process: runs the jobs of jobs.ts one after another, so that minutes of numeric work never
 * hold the engine's event loop (sorting and the faces keep being answered).
 */
import { ClipSortError, errorMessage } from '../errors.js';
import { jobs, type JobReply, type JobRequest } from './jobs.js';

function runJob({ job, input }: JobRequest): unknown {
  if (!Object.hasOwn(jobs, job)) throw new Error(`there is no analysis job named ${job}`);
  return (jobs[job as keyof typeof jobs] as (input: unknown) => unknown)(input);
}

process.on('message', (message: JobRequest & { id: number }) => {
  void Promise.resolve()
    .then(() => runJob(message))
    .then(
      (result): JobReply => ({ ok: true, result }),
      (error: unknown): JobReply => ({
        ok: false,
        error:
          error instanceof ClipSortError
            ? { code: error.code, message: error.message }
            : { message: errorMessage(error) },
      }),
    )
    .then((reply) => process.send!({ id: message.id, ...reply }));
});
// The engine is gone: nothing will ask for more.
process.on('disconnect', () => process.exit(0));
