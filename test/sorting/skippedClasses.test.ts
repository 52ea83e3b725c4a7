import { cp, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('a class folder that is a symbolic link', () => {
  const tempDir = useTempDirs();

  it('is named as skipped by status and sort instead of silently missing', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const elsewhere = path.join(await tempDir(), 'purple');
    await cp(path.join(root, 'Classes/red'), elsewhere, { recursive: true });
    await symlink(elsewhere, path.join(root, 'Classes/purple'));

    const status = runClipsortJson<{
      classes: { name: string }[];
      skippedClasses: { name: string; reason: string }[];
    }>(['status', root]);
    expect(status.classes.map((c) => c.name)).not.toContain('purple');
    expect(status.skippedClasses).toEqual([
      { name: 'purple', reason: expect.stringContaining('Classes/purple is a symbolic link') as string },
    ]);
    expect(runClipsort(['status', root]).stdout).toContain('skipped: Classes/purple is a symbolic link');

    const sort = runClipsort(['sort', root, '--model-dir', colourModelDir, '--dry-run']);
    expect(sort.code).toBe(0);
    expect(sort.stderr).toContain('Classes/purple is a symbolic link, so it is not used as a class');
  });
});
