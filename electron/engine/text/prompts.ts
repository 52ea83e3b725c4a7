/** Turning class folder names into the text prompts the zero-shot mode compares images with. */

/** Photo-oriented templates from CLIP's prompt-ensembling work; their embeddings are averaged per class. */
export const PROMPT_TEMPLATES = [
  'a photo of a {}.',
  'a photo of the {}.',
  'a close-up photo of a {}.',
  'a cropped photo of a {}.',
  'a bright photo of a {}.',
  'a dark photo of a {}.',
  'a blurry photo of a {}.',
  'a good photo of a {}.',
  'a photo of the large {}.',
  'a photo of the small {}.',
] as const;

/**
 * A folder name as words: `wild_animals` → `wild animals`, `DogsAndCats` → `dogs and cats`, `2019-beach` →
 * `2019 beach`. Separators become spaces and case changes inside a word become word breaks.
 */
export function humanise(name: string): string {
  return name
    .normalize('NFC')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/[_\-.+]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The prompts for one class: each template filled with the class's words. */
export function promptsFor(className: string, templates: readonly string[] = PROMPT_TEMPLATES): string[] {
  const words = humanise(className);
  return templates.map((template) => template.replace('{}', words));
}
