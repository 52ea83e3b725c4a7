/**
 * What the domain tables of the contract are built from: the `command()` declaration and the schemas several
 * domains share (paths, names, scores).
 */
import { z } from 'zod';

const MAX_PATH = 4096;
export const MAX_NAME = 1024;

/** Declares one command: its input schema, its result schema, and a line for people. */
export const command = <I extends z.ZodType, R extends z.ZodType>(
  description: string,
  input: I,
  result: R,
) => ({
  description,
  input,
  result,
});

/**
 * A path inside the library, relative with forward slashes (`Images/beach.jpg`). Anything that could name a file
 * elsewhere is refused before a handler sees it: absolute paths, drive letters, backslashes, `..` segments,
 * control characters.
 */
export const libraryPath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p), 'must not contain backslashes or control characters')
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p), 'must be relative to the library')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments');

/** An absolute folder on this computer (only for choosing a library). */
export const folderPath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be absolute');

/** A class name as a person typed it; the engine makes it a safe folder name. */
export const className = z
  .string()
  .min(1)
  .max(MAX_NAME)
  .refine((n) => !n.includes('\0'), 'must not contain NUL');

export const none = z.strictObject({});
export const score = z.number();
export const nullableScore = z.number().nullable();

export const classScore = z.object({ name: z.string(), score });

/** A model id: a folder name in the models home (letters, digits, `.`, `_`, `-`). */
export const modelId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'letters, digits, ".", "_" and "-" only, starting with a letter or digit',
  );
