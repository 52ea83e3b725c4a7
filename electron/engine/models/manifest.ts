/**
 * The model catalogue (`models/manifest.json`): which models ClipSort can download, where their files are, and
 * what the engine needs to know to run them.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import bundledManifest from '../../../models/manifest.json' with { type: 'json' };
import { MODEL_LAYOUTS, MODEL_STRENGTHS } from '../choices.js';
import { ClipSortError, errorMessage } from '../errors.js';
import { LAYOUTS, type ModelVariant } from './modelLayout.js';

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

/** A language as ISO 639-1 writes it: two lowercase letters. */
const languageSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'an ISO 639-1 code is two lowercase letters, such as "en"');

const percentSchema = z.number().min(0).max(100);

/** Measured quality and speed, each with where it was measured, so that a face can compare models in words. */
const figuresSchema = z.strictObject({
  /** Crossmodal-3600 text-to-image recall (%, the mean of R@1, R@5 and R@10), by the language of the query. */
  crossmodal3600Recall: z.record(languageSchema, percentSchema).optional(),
  /** ImageNet-1k zero-shot top-1 accuracy (%). */
  imagenetZeroShot: percentSchema.optional(),
  /** Milliseconds for one image on a desktop CPU at full precision, as its source measured it. */
  msPerImage: z.number().positive().optional(),
  /** Peak memory of the model in use (MiB), as its source measured it. */
  memoryMiB: z.number().positive().optional(),
  sources: z.array(z.string().min(1)).min(1, 'say where the figures come from (a URL or a citation)'),
});

const modelEntrySchema = z
  .object({
    id: modelIdSchema,
    name: z.string().min(1),
    description: z.string().optional(),
    homepage: z.url().optional(),
    licence: z.object({ name: z.string().min(1), holder: z.string().min(1), url: z.url().optional() }),
    /** How the model folder is laid out (see modelLayout.ts). */
    layout: z.enum(MODEL_LAYOUTS).default('transformers.js'),
    /**
     * The languages folder names can be written in (ISO 639-1). Catalogues that predate the field listed English
     * CLIP models only, hence the default.
     */
    languages: z
      .array(languageSchema)
      .min(1, 'name at least one language the model reads, such as ["en"]')
      .refine((codes) => new Set(codes).size === codes.length, 'a language is listed twice')
      .default(['en']),
    /** The Hugging Face commit (or branch, such as `main`) the file URLs resolve at. */
    revision: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a commit or branch name, such as "main"')
      .optional(),
    embeddingSize: z.number().int().positive(),
    /** Where the model folder states these itself (Immich's configs), the folder is what counts. */
    imageSize: z.number().int().positive().optional(),
    contextLength: z.number().int().positive().optional(),
    imageMean: z.tuple([z.number(), z.number(), z.number()]).optional(),
    imageStd: z.tuple([z.number(), z.number(), z.number()]).optional(),
    /** CLIP's softmax over classes, or SigLIP's independent sigmoid per class. */
    scoring: z.enum(['softmax', 'sigmoid']).default('softmax'),
    /** The learned temperature that multiplies cosine similarities (100 for OpenAI's CLIP). */
    logitScale: z.number().positive().optional(),
    /** SigLIP's learned bias, added before the sigmoid. */
    logitBias: z.number().optional(),
    figures: figuresSchema.optional(),
    strengths: z.array(z.enum(MODEL_STRENGTHS)).default([]),
    vision: encoderSchema,
    text: encoderSchema,
    files: z.array(modelFileSchema).min(1),
  })
  .superRefine((entry, context) => {
    const issue = (message: string) => context.addIssue({ code: 'custom', message });
    const paths = new Set(entry.files.map((file) => file.path));
    if (paths.size !== entry.files.length) issue('a file is listed twice');
    for (const encoder of [entry.vision, entry.text]) {
      for (const path of [encoder.path, encoder.quantizedPath]) {
        if (path !== undefined && !paths.has(path)) issue(`${path} is not among the files`);
      }
    }
    // A folder is only usable with the layout's own paths (modelLayout.ts checks those, not the catalogue's).
    const { encoders, required } = LAYOUTS[entry.layout];
    const expect = (what: string, actual: string | undefined, wanted: string | undefined) => {
      if (actual === wanted) return;
      issue(
        wanted === undefined
          ? `the ${entry.layout} layout has no ${what}`
          : `${what} must be ${wanted} in the ${entry.layout} layout`,
      );
    };
    expect('vision.path', entry.vision.path, encoders.fp32?.[0]);
    expect('text.path', entry.text.path, encoders.fp32?.[1]);
    if (entry.vision.quantizedPath !== undefined || entry.text.quantizedPath !== undefined) {
      expect('vision.quantizedPath', entry.vision.quantizedPath, encoders.quantized?.[0]);
      expect('text.quantizedPath', entry.text.quantizedPath, encoders.quantized?.[1]);
    }
    for (const file of required) if (!paths.has(file)) issue(`the ${entry.layout} layout needs ${file}`);
    if (entry.logitBias !== undefined && entry.scoring !== 'sigmoid') {
      issue('logitBias is for sigmoid scoring; set scoring to "sigmoid"');
    }
    if (entry.revision !== undefined) {
      for (const file of entry.files) {
        const resolved = /\/resolve\/([^/]+)\//.exec(new URL(file.url).pathname)?.[1];
        if (resolved !== undefined && resolved !== entry.revision) {
          issue(`${file.path} resolves at ${resolved}, not at the revision ${entry.revision}`);
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
export type ModelFigures = z.infer<typeof figuresSchema>;
export type ModelStrength = (typeof MODEL_STRENGTHS)[number];
export type Manifest = z.infer<typeof manifestSchema>;
export type { ModelVariant };

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
