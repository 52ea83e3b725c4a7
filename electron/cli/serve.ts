import path from 'node:path';
import type { Command } from 'commander';
import { defaultConfigHome } from '../api/state/appConfig.js';
import { startServer } from '../api/transports/server.js';
import { isLoopback } from '../api/transports/requestGuard.js';
import { ClipSortError } from '../engine/errors.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { port } from './optionValues.js';
import { printJson, say } from './output.js';
import type { GlobalOptions } from './run.js';

interface ServeOptions extends GlobalOptions, ModelOptions {
  port: number;
  host: string;
  sort?: boolean;
}

/** `clipsort serve`: the library in a browser, over HTTP and a WebSocket on this computer. */
export function registerServeCommand(program: Command): void {
  withModelOptions(
    program
      .command('serve')
      .description('open a library in the browser: serves the interface and its API on this computer')
      .argument('<library>', 'library folder')
      .option('--port <n>', 'port to listen on (0: any free port)', port, 0)
      .option(
        '--host <address>',
        'address to listen on (other than loopback: reachable from the network)',
        '127.0.0.1',
      )
      .option('--sort', 'start sorting new images at once'),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<ServeOptions>();
    const server = await startServer({
      library: path.resolve(library),
      host: options.host,
      port: options.port,
      sort: options.sort,
      configDir: defaultConfigHome(),
      model: {
        modelDir: options.modelDir,
        threads: options.threads,
        executionProviders: options.provider,
        precision: options.precision,
      },
      onInternalError: (error) => console.error(error),
    }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new ClipSortError(
          'serve-listen',
          `Cannot listen on ${options.host}:${options.port} (${code}).`,
        );
      }
      throw error;
    });
    // The address comes first, alone on its line, so that scripts can read it.
    if (options.json) printJson({ url: server.url, library: server.api.library().root });
    else say(server.url);
    const log = (line: string) => void process.stderr.write(`clipsort: ${line}\n`);
    log(`serving ${server.api.library().root} at ${server.origin} (Ctrl+C to stop)`);
    for (const message of server.api.library().unsettledMoves) log(message);
    if (!isLoopback(options.host)) {
      log(
        `listening on ${options.host}, beyond this computer, over plain HTTP: anyone who can reach it and ` +
          'learns the token can see and move your photos.',
      );
    }
    server.api.subscribe((event) => {
      if (event.event === 'notice') log(event.data.message);
      if (event.event === 'error') log(`${event.data.file ?? 'sorting'}: ${event.data.message}`);
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('stopping: finishing the moves in flight');
    await server.close();
  });
}
