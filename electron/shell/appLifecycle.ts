/** One ClipSort at a time (a second start focuses the first), and a clean engine shutdown on quit. */
import { app, BrowserWindow } from 'electron';
import type { EngineProcess } from './engineProcess.js';

/** Takes the single-instance lock; returns false when another ClipSort already runs (this one then quits). */
export function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return true;
}

/** Quits when the last window closes (except on macOS), letting the engine finish moves in flight first. */
export function setupQuit(engine: EngineProcess, reopen: () => void): void {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) reopen();
  });
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void engine.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
