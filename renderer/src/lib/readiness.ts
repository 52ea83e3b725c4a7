/** Whether ClipSort can start working: a library open and a model it can sort with. */
import type { CommandResult } from '../../../electron/api/contract/index.js';

type ModelStatus = CommandResult<'model.status'>;
type AppInfo = CommandResult<'app.info'>;

/**
 * Whether the engine can sort with the model it has: loaded or loading, found and not yet loaded (`idle` with a
 * folder, or an installed model in use), or just downloaded. A missing or failed model is not usable.
 */
export function modelUsable(status: ModelStatus | undefined): boolean {
  if (!status) return false;
  switch (status.state) {
    case 'ready':
    case 'loading':
      return true;
    case 'missing':
    case 'failed':
      return false;
    case 'idle':
      return (
        status.folder !== null ||
        status.download?.state === 'done' ||
        status.models.some((m) => m.inUse && m.state === 'installed')
      );
  }
}

/** The steps still to do before the app can sort: opening a library, getting a model. */
export function missingSteps(
  info: AppInfo | undefined,
  model: ModelStatus | undefined,
): ('library' | 'model')[] {
  const steps: ('library' | 'model')[] = [];
  if (!info?.library) steps.push('library');
  if (!modelUsable(model)) steps.push('model');
  return steps;
}
