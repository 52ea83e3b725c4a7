import path from 'node:path';
import type { Command } from 'commander';
import { withCommands } from './commands.js';
import { printJson, say } from './output.js';
import type { GlobalOptions } from './run.js';

/**
 * `clipsort debug …`: the exact inputs the model receives, so anyone can check them against the reference
 * pipeline. Only the model folder's configuration is read; the model itself is not loaded.
 */
export function registerDebugCommand(program: Command): void {
  const debug = program.command('debug').description('show the exact inputs the model receives');

  debug
    .command('tensor')
    .description('write the float32 CHW tensor the vision model receives for an image')
    .argument('<image>', 'image file')
    .requiredOption('--out <file>', 'where to write the raw little-endian float32 data')
    .action(async (image: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { out: string }>();
      const { shape, values } = await withCommands({ options }, (client) =>
        client.invoke('debug.tensor', { image: path.resolve(image), out: path.resolve(options.out) }),
      );
      // `out` as it was given, not resolved.
      if (options.json) printJson({ out: options.out, shape, values });
      else say(`wrote ${values} float32 values (${shape.join('×')}) to ${options.out}`);
    });

  debug
    .command('tokens')
    .description('print the token ids the text model receives for a text (unpadded)')
    .argument('<text>', 'text to tokenise')
    .action(async (text: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const { ids } = await withCommands({ options }, (client) => client.invoke('debug.tokens', { text }));
      if (options.json) printJson({ ids });
      else say(ids.join(' '));
    });
}
