import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { defaultConfigHome } from '../../electron/api/state/appConfig.js';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { initLibrary } from '../../electron/engine/library/initLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const opened: ApiService[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

function service(options: ConstructorParameters<typeof ApiService>[0]): ApiService {
  const api = new ApiService(options);
  opened.push(api);
  return api;
}

async function info(api: ApiService): Promise<CommandResult<'app.info'>> {
  const outcome = await api.invoke('app.info', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result as CommandResult<'app.info'>;
}

describe('app.info and the recent libraries', () => {
  it('tells the desktop app from a browser, with no library open', async () => {
    const desktop = service({ allowLibrarySwitch: true, configDir: await tempDir() });
    expect(await info(desktop)).toEqual({
      face: 'desktop',
      canSwitchLibrary: true,
      library: null,
      recentLibraries: [],
    });
    const root = await tempDir();
    await initLibrary(root);
    const browser = await ApiService.open(root);
    opened.push(browser);
    expect(await info(browser)).toEqual({
      face: 'browser',
      canSwitchLibrary: false,
      library: { name: path.basename(root), path: root },
      recentLibraries: [],
    });
    for (const [name, input] of [
      ['shell.pickFolder', {}],
      ['shell.showInFolder', { path: 'Images/a.jpg' }],
    ] as const) {
      expect(await browser.invoke(name, input)).toMatchObject({ ok: false, error: { code: 'desktop-only' } });
    }
    expect(await browser.invoke('library.forget', { path: root })).toMatchObject({
      ok: false,
      error: { code: 'library-fixed' },
    });
  });

  it('remembers the libraries opened, most recent first, says which are gone, and forgets on request', async () => {
    const configDir = await tempDir();
    const api = service({ allowLibrarySwitch: true, configDir });
    const [first, second] = [path.join(await tempDir(), 'Holidays'), path.join(await tempDir(), 'Work')];
    await api.invoke('library.init', { path: first });
    await api.invoke('library.init', { path: second });
    await api.invoke('library.open', { path: first });
    const listed = (await info(api)).recentLibraries;
    expect(listed.map((entry) => [entry.name, entry.path, entry.exists])).toEqual([
      ['Holidays', first, true],
      ['Work', second, true],
    ]);
    expect(listed[0]!.openedAt).toBeGreaterThanOrEqual(listed[1]!.openedAt);
    expect((await info(api)).library).toEqual({ name: 'Holidays', path: first });

    // Kept on disk: the next start of the app sees the same list, and a removed library as gone.
    await rm(second, { recursive: true });
    const later = service({ allowLibrarySwitch: true, configDir });
    expect((await info(later)).recentLibraries.map((entry) => entry.exists)).toEqual([true, false]);
    const forgotten = await later.invoke('library.forget', { path: second });
    expect(forgotten).toMatchObject({ ok: true, result: { recentLibraries: [{ path: first }] } });
    const stored = JSON.parse(
      await readFile(path.join(configDir, 'recent-libraries.json'), 'utf8'),
    ) as unknown[];
    expect(stored).toHaveLength(1);
  });
});

describe('defaultConfigHome', () => {
  it('follows each platform, with CLIPSORT_CONFIG_HOME first', () => {
    expect(defaultConfigHome({ platform: 'linux', home: '/home/ana', env: {} })).toBe(
      '/home/ana/.config/clipsort',
    );
    expect(
      defaultConfigHome({ platform: 'linux', home: '/home/ana', env: { XDG_CONFIG_HOME: '/cfg' } }),
    ).toBe('/cfg/clipsort');
    expect(defaultConfigHome({ platform: 'linux', home: '/home/ana', env: { XDG_CONFIG_HOME: 'rel' } })).toBe(
      '/home/ana/.config/clipsort',
    );
    expect(defaultConfigHome({ platform: 'darwin', home: '/Users/ana', env: {} })).toBe(
      '/Users/ana/Library/Application Support/ClipSort',
    );
    expect(
      defaultConfigHome({
        platform: 'win32',
        home: 'C:\\Users\\ana',
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\ClipSort');
    expect(
      defaultConfigHome({ platform: 'linux', home: '/home/ana', env: { CLIPSORT_CONFIG_HOME: '/x/y' } }),
    ).toBe('/x/y');
  });
});
