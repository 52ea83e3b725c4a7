import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClassFolders } from '../../electron/engine/library/classFolders.js';
import {
  MAX_PROMPT_CHARS,
  MAX_PROMPT_FILE_BYTES,
  MAX_PROMPTS,
  readPromptFile,
} from '../../electron/engine/library/promptFile.js';
import { promptsFor } from '../../electron/engine/text/prompts.js';
import { useTempDirs } from '../helpers/tempDir.js';

const posix = process.platform !== 'win32';

describe('prompt.txt', () => {
  const tempDir = useTempDirs();

  async function classFolder(name: string) {
    const root = await tempDir();
    const folder = path.join(root, 'Classes', name);
    await mkdir(folder, { recursive: true });
    return { root, file: path.join(folder, 'prompt.txt') };
  }

  it('reads a small file whole, without notices', async () => {
    const { file } = await classFolder('red');
    await writeFile(file, '# a comment\na red thing\n\n  a photo of {}  \r\n');
    expect(await readPromptFile(file, 'Classes/red/prompt.txt')).toEqual({
      lines: ['a red thing', 'a photo of {}'],
      notices: [],
    });
  });

  it('reads only the head of a 50 MB file, and says the rest was ignored', async () => {
    const { root, file } = await classFolder('red');
    const handle = await open(file, 'w');
    await handle.write('a red thing\na crimson thing\n');
    await handle.truncate(50 * 1024 * 1024); // the rest is zeros, with no newline
    await handle.close();
    const [red] = await readClassFolders(root);
    expect(red!.prompts).toEqual(['a red thing', 'a crimson thing']);
    expect(red!.notices.map((n) => n.code)).toEqual(['prompt-file-truncated']);
    expect(red!.notices[0]!.message).toBe(
      'Classes/red/prompt.txt is too long: only its first 16 KiB were read.',
    );
  });

  it('cuts at the last whole line within the limit, and keeps at most 64 prompts of sane length', async () => {
    const { file } = await classFolder('red');
    const long = 'é'.repeat(MAX_PROMPT_CHARS + 50);
    const lines = [long, ...Array.from({ length: 2000 }, (_, i) => `red thing number ${i}`)];
    await writeFile(file, lines.join('\n'));
    const read = await readPromptFile(file, 'Classes/red/prompt.txt');
    expect(read.lines).toHaveLength(MAX_PROMPTS);
    expect(read.lines[0]).toBe('é'.repeat(MAX_PROMPT_CHARS));
    expect(read.lines.slice(1)).toEqual(lines.slice(1, MAX_PROMPTS));
    expect(read.notices).toHaveLength(1);
    expect(read.notices[0]!.message).toContain(`first ${MAX_PROMPTS} prompts`);
    expect(read.notices[0]!.message).toContain(`longer than ${MAX_PROMPT_CHARS} characters`);

    // Exactly the limit is not too long; one byte more is.
    await writeFile(file, 'x'.repeat(MAX_PROMPT_FILE_BYTES));
    expect((await readPromptFile(file, 'p')).notices.map((n) => n.message)).toEqual([
      `p is too long: prompts longer than ${MAX_PROMPT_CHARS} characters were shortened.`,
    ]);
    await writeFile(file, `${'x'.repeat(10)}\n${'y'.repeat(MAX_PROMPT_FILE_BYTES)}`);
    const over = await readPromptFile(file, 'p');
    expect(over.lines).toEqual(['x'.repeat(10)]);
    expect(over.notices[0]!.message).toBe('p is too long: only its first 16 KiB were read.');
  });

  it.runIf(posix)(
    'refuses a link to /dev/zero and a FIFO at once, falling back to the class name',
    async () => {
      const { root, file } = await classFolder('red');
      await symlink('/dev/zero', file);
      const fifo = await classFolder('blue');
      execFileSync('mkfifo', [fifo.file]);
      for (const [where, name] of [
        [root, 'red'],
        [path.dirname(path.dirname(path.dirname(fifo.file))), 'blue'],
      ] as const) {
        const [folder] = await readClassFolders(where);
        expect(folder!.prompts).toEqual(promptsFor(name));
        expect(folder!.notices).toEqual([
          {
            code: 'prompt-file-refused',
            message: `Classes/${name}/prompt.txt is not a regular file, so it was ignored and the class name is used as its prompt.`,
          },
        ]);
      }
    },
    5_000,
  );

  it('uses the class name when there is no file', async () => {
    const { root } = await classFolder('red');
    const [red] = await readClassFolders(root);
    expect(red).toMatchObject({ prompts: promptsFor('red'), notices: [] });
  });
});
