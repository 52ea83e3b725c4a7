/** The main window: isolated and sandboxed, pinned to our own pages, with every permission request denied. */
import { BrowserWindow, session } from 'electron';
import { commandNames } from '../api/contract/index.js';
import {
  APP_ENTRY,
  isAppUrl,
  SECURITY_HEADERS,
  SHELL_COMMANDS,
  windowWebPreferences,
} from './securityPolicy.js';

/** Denies permissions, adds the CSP to any response that lacks it, and refuses to load anything but our pages. */
export function setupSessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, ...headerLists() } });
  });
}

const headerLists = () =>
  Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([name, value]) => [name, [value]]));

/** Opens the main window on the renderer. */
export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'ClipSort',
    show: false,
    webPreferences: windowWebPreferences(preload, [...new Set([...commandNames, ...SHELL_COMMANDS])]),
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No page of ours opens windows: `window.open`, target=_blank and middle-clicks are all refused.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
}
