/** What the model receives, for checking it against the reference pipeline; nothing here loads the model. */
import { z } from 'zod';
import { command, folderPath } from './schemas.js';

/** Far beyond the 77 tokens the text model reads, and short enough to refuse junk. */
const MAX_DEBUG_TEXT = 4096;

/** A file anywhere on this computer: absolute, as the folders of the computer are. */
const filePath = folderPath;

export const debugCommands = {
  'debug.tensor': command(
    'preprocess the image file at `image` as the vision model would receive it and write the float32 CHW ' +
      "tensor (raw, little-endian) to the file `out`; only the model folder's preprocessing configuration is " +
      'read (only where the face may switch libraries: both are paths of the computer)',
    z.strictObject({ image: filePath, out: filePath }),
    z.object({
      /** Channels, height, width. */
      shape: z.tuple([z.int(), z.int(), z.int()]),
      /** Float32 values written. */
      values: z.int(),
    }),
  ),
  'debug.tokens': command(
    'the token ids the text model receives for `text`, with start and end tokens, unpadded; only the model ' +
      "folder's tokenizer is read",
    z.strictObject({ text: z.string().max(MAX_DEBUG_TEXT) }),
    z.object({ ids: z.array(z.int()) }),
  ),
} as const;
