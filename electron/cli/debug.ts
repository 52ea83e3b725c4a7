import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { inputSize, preprocessImage } from '../engine/imaging/preprocess.js';
import { readPreprocessSpec } from '../engine/imaging/preprocessConfig.js';
import { readImageFile } from '../engine/imaging/imageFile.js';
import { locateModel } from '../engine/models/index.js';
import { ClipTokenizer } from '../engine/text/tokenizer.js';
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
      const spec = await readPreprocessSpec(await locateModel({ modelDir: options.modelDir }));
      const file = await readImageFile(path.resolve(image), path.basename(image));
      const tensor = await preprocessImage(file.bytes, spec, path.basename(image));
      await writeFile(options.out, new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength));
      const { width, height } = inputSize(spec);
      if (options.json) printJson({ out: options.out, shape: [3, height, width], values: tensor.length });
      else say(`wrote ${tensor.length} float32 values (3×${height}×${width}) to ${options.out}`);
    });

  debug
    .command('tokens')
    .description('print the token ids the text model receives for a text (unpadded)')
    .argument('<text>', 'text to tokenise')
    .action(async (text: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const tokenizer = await ClipTokenizer.load(await locateModel({ modelDir: options.modelDir }));
      const ids = tokenizer.encode(text);
      if (options.json) printJson({ ids });
      else say(ids.join(' '));
    });
}
