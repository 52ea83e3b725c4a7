/**
 * The desktop app's security settings as plain values, so that tests can check them without an Electron binary:
 * the window's web preferences, the Content-Security-Policy and what counts as our own page.
 */

/** The custom scheme the renderer and the library's images are served from (never `file://`). */
export const APP_SCHEME = 'clipsort';
/** The one origin our pages load from. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** The page the window opens. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** The IPC channels between preload and main. */
export const INVOKE_CHANNEL = 'clipsort:invoke';
export const EVENT_CHANNEL = 'clipsort:event';
/** The argument that hands the preload the command names it may send. */
export const COMMANDS_ARGUMENT = '--clipsort-commands=';

/** Commands the shell answers itself (native dialogs and the file manager), beside the engine's. */
export const SHELL_COMMANDS = ['shell.pickFolder', 'shell.showInFolder'] as const;
export type ShellCommand = (typeof SHELL_COMMANDS)[number];

/** Every response of the app's scheme carries this policy: our own scripts and styles only, no plugins, no frames. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
].join('; ');

/** Headers sent with every response of the app's scheme. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The main window's web preferences: isolated, sandboxed, no Node, web security on. */
export function windowWebPreferences(preload: string, commandNames: readonly string[]) {
  const on = true as const;
  const off = false as const;
  return {
    preload,
    contextIsolation: on,
    sandbox: on,
    nodeIntegration: off,
    nodeIntegrationInWorker: off,
    nodeIntegrationInSubFrames: off,
    webSecurity: on,
    allowRunningInsecureContent: off,
    experimentalFeatures: off,
    webviewTag: off,
    navigateOnDragDrop: off,
    spellcheck: off,
    // A middle-click would otherwise open a link in a new window.
    disableBlinkFeatures: 'Auxclick',
    additionalArguments: [`${COMMANDS_ARGUMENT}${commandNames.join(',')}`],
  };
}

/** Whether `url` is a page of our own app (the only sender IPC is accepted from, the only place to navigate). */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/** The part of a `WebFrameMain` that tells where an IPC message came from. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** Whether IPC from `frame` is accepted: only the top frame of one of our own pages, never a subframe. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}
