/**
 * The Activity view as a person opens it on a library sorted earlier (by the command line): "what just happened"
 * already lists what was filed, a video left in the inbox is counted, a photo sorted with its RAW and sidecar says so, long paths are shortened in the middle with the whole path on hover, and a move
 * made on the map is named as such in the history; on a narrow window the sidebar folds into a bar on top. Skipped without Chromium.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { invoke } from '../api/http.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, connection, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

const title = browserTitle('the Activity view in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('shows what was filed before it opened, shortens long paths, and names map moves', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // One photo deep in folders, as a camera import leaves them.
    const deep = 'Images/2024/summer holidays with the family/costa brava/day three';
    await mkdir(path.join(root, deep), { recursive: true });
    await rename(path.join(root, 'Images/red-0.jpg'), path.join(root, deep, 'red-0.jpg'));
    runClipsortJson(['sort', root, '--model-dir', colourModelDir, '--threads', '1']);
    await writeFile(path.join(root, 'Images/IMG_0008.MOV'), Buffer.alloc(1024, 3));
    const { serve, page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');

    // Nothing has happened in this page yet, but the sort before it is there.
    const earlier = page.getByTestId('earlier');
    await earlier.waitFor({ timeout: 10_000 });
    expect(await earlier.locator('li').count()).toBe(12);
    const long = earlier.locator(`[data-path="${deep}/red-0.jpg"]`);
    expect(await long.getAttribute('title')).toBe(`${deep}/red-0.jpg`);
    const shown = (await long.textContent())!;
    expect(shown).toContain('…');
    expect(shown.endsWith('/red-0.jpg')).toBe(true);
    expect(shown.length).toBeLessThan(`${deep}/red-0.jpg`.length);
    expect(await earlier.textContent()).toContain(en['run.sort']);
    // A video stays in the inbox, counted, not an error.
    expect((await textOf(page, 'videos')).replace(/\s+/g, ' ')).toBe(
      `1 ${en['count.video.one']} ${en['activity.videos']}`,
    );
    expect(await textOf(page, 'error-count')).toBe('0');
    await shot(page, 'activity-earlier');

    // A photo sorted with its sidecar and RAW says that they went with it.
    await writeColourImage(path.join(root, 'Images/pair.jpg'), COLOURS.green![0]!, {
      width: 320,
      height: 240,
    });
    await writeFile(path.join(root, 'Images/pair.xmp'), '<x:xmpmeta/>');
    await writeFile(path.join(root, 'Images/pair.dng'), Buffer.alloc(2048, 7));
    await invoke(serve.origin, serve.token, 'sort.pass', {});
    const along = page.locator('[data-testid="events"] li.sorted [data-testid="companions"]');
    await until('the companions named', async () => (await along.count()) === 1);
    expect((await along.textContent())?.replace(/\s+/g, ' ')).toBe(
      `· ${en['event.along']} 2 ${en['count.companion.other']}`,
    );
    expect((await along.getAttribute('title'))?.split('\n').sort()).toEqual([
      'Dataset/green/pair.dng',
      'Dataset/green/pair.xmp',
    ]);
    // The history lists them under the photo's move, not as moves of their own.
    const listed = page.locator('[data-testid="move"]', { hasText: 'pair' });
    await until('the sorted pair in the history', async () => (await listed.count()) > 0);
    expect(await listed.count()).toBe(1);
    expect(await listed.locator('[data-testid="companions"]').getAttribute('title')).toContain(
      'Dataset/green/pair.dng',
    );

    // A move made on the map is named so in the history.
    await invoke(serve.origin, serve.token, 'files.move', {
      files: ['Dataset/blue/blue-1.png'],
      class: 'green',
    });
    await page.reload();
    const heads = page.getByTestId('run-head');
    await until('the map move listed', async () =>
      ((await heads.first().textContent()) ?? '').includes(en['run.map']),
    );

    // On a narrow window the sidebar becomes a bar on top, and the Map keeps the width.
    await page.setViewportSize({ width: 800, height: 700 });
    const nav = (await page.locator('nav').boundingBox())!;
    expect(nav.width).toBeGreaterThan(780);
    expect(nav.height).toBeLessThan(120);
    await page.getByTestId('nav-map').click();
    const canvas = page.getByTestId('map-canvas');
    await canvas.waitFor({ timeout: 10_000 });
    expect((await canvas.boundingBox())!.width).toBeGreaterThan(450);
    await shot(page, 'narrow-map');
    expect(problems).toEqual([]);
  });
});
