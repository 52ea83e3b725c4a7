/**
 * The command line's one way to the engine: the command table, run in this process by an `ApiService` of its
 * own. A subcommand parses its options, calls commands through the typed client and prints what they answer.
 */
import { createClient, type Client } from '../api/client.js';
import { ApiService } from '../api/state/apiService.js';
import { ClipSortError } from '../engine/errors.js';
import type { ModelOptions } from './modelOptions.js';
import { warn } from './output.js';
import type { GlobalOptions } from './run.js';

export interface CommandsOptions {
  /** The library the commands work on; none for those that need no library (models, debug, init). */
  library?: string;
  /** `folder`: any folder of images, not a library (to embed or evaluate it); see `LibrarySession.open`. */
  kind?: 'library' | 'folder';
  /** `moves`: hold the library for `holder`'s moves; `read` (the default): only look, even while it is held. */
  access?: 'moves' | 'read';
  /** Who holds the library, as another ClipSort names it (e.g. `clipsort sort`). */
  holder?: string;
  /** Wait for another ClipSort holding the library instead of failing with `library-busy`. */
  wait?: boolean;
  /** The command line's options: the model folder and how it runs. */
  options: GlobalOptions & ModelOptions;
  /** Where models are installed (`--models-home`); else `CLIPSORT_MODELS_HOME` or the user's cache. */
  modelsHome?: string;
  /** Where the model settings of the environment are read (`CLIPSORT_…`); this process's unless set (tests). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the command table (and the library, if one is named) for `work`, and closes it afterwards: sorting
 * stops, moves in flight finish, the model is freed. Interrupted moves that need a person are told on stderr. A
 * failed command throws a `ClipSortError` with its code and message; an unexpected one rethrows its cause, so
 * that its stack is printed.
 */
export async function withCommands<T>(
  { library, kind, access = 'read', holder = 'clipsort', wait, options, modelsHome, env }: CommandsOptions,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  let unexpected: unknown;
  const serviceOptions = {
    allowLibrarySwitch: true,
    model: {
      modelDir: options.modelDir,
      threads: options.threads,
      executionProviders: options.provider,
      precision: options.precision,
      modelsHome,
      env,
    },
    access: { holder, kind, access, wait, onWait: warn },
    onInternalError: (error: unknown) => (unexpected = error),
  };
  const api = library ? await ApiService.open(library, serviceOptions) : new ApiService(serviceOptions);
  // A model that loaded other than asked (int8 refused by its check) says why.
  const stopWarning = api.subscribe(({ event, data }) => {
    if (event === 'model' && data.state === 'ready' && data.message) warn(data.message);
  });
  try {
    for (const message of api.openLibrary()?.unsettledMoves ?? []) warn(message);
    const client = createClient({
      async invoke(name, input) {
        const outcome = await api.invoke(name, input);
        if (outcome.ok) return outcome.result;
        if (outcome.error.code === 'internal' && unexpected instanceof Error) throw unexpected;
        throw new ClipSortError(outcome.error.code, outcome.error.message);
      },
      subscribe: (listener) => api.subscribe(listener),
    });
    return await work(client);
  } finally {
    stopWarning();
    await api.close();
  }
}
