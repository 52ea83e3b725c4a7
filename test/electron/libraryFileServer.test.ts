import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { LibraryFileServer } from '../../electron/api/serving/libraryFileServer.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** Paths a page could send through `clipsort://app/image/…` to leave the library, in every encoding. */
const REFUSED = [
  '../outside/secret.png',
  'Images/../../outside/secret.png',
  '%2e%2e/outside/secret.png',
  'Images/%2E%2E/%2E%2E/outside/secret.png',
  '..%2foutside%2fsecret.png',
  '%252e%252e%252foutside%252fsecret.png',
  'Images%252f..%252f..%252foutside%252fsecret.png',
  '%2fetc%2fpasswd',
  '/etc/passwd',
  'C:/Windows/win.png',
  'Images%5c..%5c..%5coutside%5csecret.png',
  'Images/red-0.jpg%00.png',
  '.clipsort/library.db',
  'Images/notes.txt',
  'Images/link-out.png',
  'Images/linked-folder/secret.png',
];

describe('library files for the clipsort:// scheme', () => {
  const tempDir = useTempDirs();
  let api: ApiService | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function serve() {
    const base = await tempDir();
    const root = path.join(base, 'library');
    await makeColourLibrary(root);
    const outside = path.join(base, 'outside');
    await writeColourImage(path.join(outside, 'secret.png'), [9, 9, 9]);
    await writeFile(path.join(root, 'Images/notes.txt'), 'not an image');
    await symlink(path.join(outside, 'secret.png'), path.join(root, 'Images/link-out.png'));
    await symlink(outside, path.join(root, 'Images/linked-folder'));
    await mkdir(path.join(root, 'Images/sub'), { recursive: true });
    api = await ApiService.open(root, { model: { modelDir: colourModelDir }, allowLibrarySwitch: true });
    return new LibraryFileServer(api);
  }

  it('serves an image of the open library and its thumbnail', async () => {
    const files = await serve();
    const image = await files.answer('Images/red-0.jpg');
    expect(image).toMatchObject({ ok: true, type: 'image/jpeg' });
    const thumb = await files.answer('Images/red-0.jpg', '64');
    expect(thumb).toMatchObject({ ok: true, type: 'image/webp' });
    expect(await files.answer('Images/red-0.jpg', 'huge')).toMatchObject({ ok: false, status: 400 });
  });

  it.each(REFUSED)('refuses %s', async (encoded) => {
    const files = await serve();
    for (const size of [undefined, '64']) {
      const reply = await files.answer(encoded, size);
      expect(reply.ok, `${encoded} ${size}`).toBe(false);
      if (!reply.ok) expect([400, 403, 404]).toContain(reply.status);
    }
  });

  it('serves nothing while no library is open', async () => {
    api = new ApiService({ allowLibrarySwitch: true });
    const files = new LibraryFileServer(api);
    expect(await files.answer('Images/red-0.jpg')).toMatchObject({ ok: false, status: 404 });
  });
});
