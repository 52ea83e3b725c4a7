import { describe, expect, it } from 'vitest';
import { commandNames } from '../../electron/api/contract/index.js';
import {
  APP_ENTRY,
  COMMANDS_ARGUMENT,
  CONTENT_SECURITY_POLICY,
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  isAppUrl,
  isTrustedSender,
  SECURITY_HEADERS,
  windowWebPreferences,
} from '../../electron/shell/securityPolicy.js';
import { compiledPreload } from './preloadRunner.js';

describe('the window and its security settings', () => {
  const prefs = windowWebPreferences('/app/preload.js', commandNames);

  it('isolates and sandboxes the renderer, without Node, with web security on', () => {
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('hands the preload the command table’s names and nothing else', () => {
    expect(prefs.additionalArguments).toEqual([`${COMMANDS_ARGUMENT}${commandNames.join(',')}`]);
  });

  it('sends a strict Content-Security-Policy', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|https:|file:/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it.each([
    [APP_ENTRY, true],
    ['clipsort://app/image/Images/a.png', true],
    ['clipsort://other/index.html', false],
    ['clipsort://app.evil/index.html', false],
    ['https://app/index.html', false],
    ['file:///etc/passwd', false],
    ['http://localhost:5173/', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
    [undefined, false],
  ])('counts %s as our own page: %s', (url, own) => {
    expect(isAppUrl(url)).toBe(own);
  });

  it.each([
    [{ url: APP_ENTRY, parent: null }, true],
    [{ url: APP_ENTRY, parent: { url: APP_ENTRY } }, false],
    [{ url: 'https://example.com/', parent: null }, false],
    [{ url: 'file:///tmp/index.html', parent: null }, false],
    [null, false],
    [undefined, false],
  ])('accepts IPC from %j: %s', (frame, trusted) => {
    expect(isTrustedSender(frame)).toBe(trusted);
  });

  it('keeps the preload’s channel names in step with the main process', () => {
    const { exports } = compiledPreload();
    expect(exports).toMatchObject({ INVOKE_CHANNEL, EVENT_CHANNEL, COMMANDS_ARGUMENT });
  });
});
