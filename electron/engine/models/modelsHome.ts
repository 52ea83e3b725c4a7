import { homedir } from 'node:os';
import path from 'node:path';

/** What decides the models home; each part defaults to this process, and tests pass their own. */
export interface ModelsHomeContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where downloaded and imported models live when nobody says otherwise: `CLIPSORT_MODELS_HOME`, else the user's
 * cache or application-data folder for this platform. The Electron shell passes its own folder instead.
 */
export function defaultModelsHome(context: ModelsHomeContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.home ?? homedir();
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (env.CLIPSORT_MODELS_HOME) return paths.resolve(env.CLIPSORT_MODELS_HOME);
  switch (platform) {
    case 'win32':
      return paths.join(env.LOCALAPPDATA || paths.join(home, 'AppData', 'Local'), 'ClipSort', 'models');
    case 'darwin':
      return paths.join(home, 'Library', 'Application Support', 'ClipSort', 'models');
    default:
      // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
      return paths.join(
        env.XDG_CACHE_HOME && paths.isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : paths.join(home, '.cache'),
        'clipsort',
        'models',
      );
  }
}
