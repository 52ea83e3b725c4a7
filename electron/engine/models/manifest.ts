/**
 * The model catalogue (`models/manifest.json`): which models ClipSort can download, where their files are, and
 * what the engine needs to know to run them.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import bundledManifest from '../../../models/manifest.json' with { type: 'json' };
import { ClipSortError, errorMessage } from '../errors.js';

/** Names a model folder or a model in the catalogue: no separators, so it can never leave the models home. */
export const modelIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'letters, digits, ".", "_" and "-" only, starting with a letter or digit',
  );

/** A path inside a model folder, with forward slashes, that cannot escape it. */
export const modelFilePathSchema = z
  .string()
  .min(1)
  .refine(
    (path) =>
      !path.startsWith('/') &&
      !path.includes('\\') &&
      !/^[A-Za-z]:/.test(path) &&
      path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'must be a relative path inside the model folder, with forward slashes',
  );

const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
  .describe('sha256 of the whole file');

const modelFileSchema = z.object({
  path: modelFilePathSchema,
  url: z.url({ protocol: /^https?$/ }),
  /** Bytes, where known. */
  size: z.number().int().nonnegative().optional(),
  sha256: sha256Schema.optional(),
  /** Only for this variant of the encoders; absent: needed by every variant. */
  variant: z.enum(['fp32', 'quantized']).optional(),
});

const encoderSchema = z.object({
  path: modelFilePathSchema,
  quantizedPath: modelFilePathSchema.optional(),
  input: z.string().min(1),
  output: z.string().min(1),
});

const modelEntrySchema = z
  .object({
    id: modelIdSchema,
    name: z.string().min(1),
    description: z.string().optional(),
    homepage: z.url().optional(),
    licence: z.object({ name: z.string().min(1), holder: z.string().min(1), url: z.url().optional() }),
    embeddingSize: z.number().int().positive(),
    imageSize: z.number().int().positive(),
    contextLength: z.number().int().positive(),
    imageMean: z.tuple([z.number(), z.number(), z.number()]).optional(),
    imageStd: z.tuple([z.number(), z.number(), z.number()]).optional(),
    vision: encoderSchema,
    text: encoderSchema,
    files: z.array(modelFileSchema).min(1),
  })
  .superRefine((entry, context) => {
    const paths = new Set(entry.files.map((file) => file.path));
    if (paths.size !== entry.files.length)
      context.addIssue({ code: 'custom', message: 'a file is listed twice' });
    for (const encoder of [entry.vision, entry.text]) {
      for (const path of [encoder.path, encoder.quantizedPath]) {
        if (path !== undefined && !paths.has(path)) {
          context.addIssue({ code: 'custom', message: `${path} is not among the files` });
        }
      }
    }
  });

const manifestSchema = z
  .object({
    version: z.literal(1),
    default: modelIdSchema,
    models: z.array(modelEntrySchema).min(1),
  })
  .superRefine((manifest, context) => {
    const ids = manifest.models.map((model) => model.id);
    if (new Set(ids).size !== ids.length)
      context.addIssue({ code: 'custom', message: 'a model id is listed twice' });
    if (!ids.includes(manifest.default)) {
      context.addIssue({
        code: 'custom',
        message: `the default ${manifest.default} is not in the catalogue`,
      });
    }
  });

export type ModelFile = z.infer<typeof modelFileSchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;
/** Which encoder files a model folder holds: full precision, or the smaller int8 quantized export. */
export type ModelVariant = 'fp32' | 'quantized';

/**
 * Reads the catalogue: the file at `path`, else the one named by `CLIPSORT_MANIFEST` (for testing a mirror or a
 * local server), else the catalogue that ships with ClipSort.
 */
export async function loadManifest(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<Manifest> {
  const source = path ?? (env.CLIPSORT_MANIFEST || undefined);
  if (source === undefined) return parseManifest(bundledManifest, 'the built-in model catalogue');
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new ClipSortError(
      'manifest-invalid',
      `Cannot read the model catalogue ${source}: ${errorMessage(error)}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClipSortError(
      'manifest-invalid',
      `The model catalogue ${source} is not JSON: ${errorMessage(error)}.`,
    );
  }
  return parseManifest(json, `the model catalogue ${source}`);
}

/** Validates a catalogue already in memory; `label` names it in the error. */
export function parseManifest(json: unknown, label = 'the model catalogue'): Manifest {
  const result = manifestSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  throw new ClipSortError('manifest-invalid', `${capitalise(label)} is not valid: ${issues.join('; ')}.`);
}

/** The catalogue entry for `id`, or a clear error listing the ids there are. */
export function findModelEntry(manifest: Manifest, id: string): ModelEntry {
  const entry = manifest.models.find((model) => model.id === id);
  if (entry) return entry;
  const known = manifest.models.map((model) => model.id).join(', ');
  throw new ClipSortError(
    'model-unknown',
    `There is no model ${id} in the catalogue; the catalogue has: ${known}.`,
  );
}

/** The files a folder of this variant needs: the shared ones plus that variant's encoders. */
export function filesForVariant(entry: ModelEntry, variant: ModelVariant): ModelFile[] {
  return entry.files.filter((file) => file.variant === undefined || file.variant === variant);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
