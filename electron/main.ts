/** The desktop app's main process: a boot list, one `setupX()` per concern (see `shell/`). */
import { app } from 'electron';
import type { ApiEvent } from './api/contract/index.js';
import { setupQuit, setupSingleInstance } from './shell/appLifecycle.js';
import { registerAppScheme, setupAppProtocol } from './shell/appProtocol.js';
import { EngineProcess } from './shell/engineProcess.js';
import { setupIpc } from './shell/ipc.js';
import { setupMenu } from './shell/menu.js';
import { notifyError } from './shell/notifications.js';
import { appPaths } from './shell/paths.js';
import { createMainWindow, setupSessionSecurity } from './shell/window.js';

if (setupSingleInstance()) {
  registerAppScheme();
  let forward: (event: ApiEvent) => void = () => {};
  const engine = new EngineProcess({
    entry: appPaths.engineHost,
    onEvent: (event) => forward(event),
    onError: notifyError,
  });
  process.on('uncaughtException', (error) => notifyError(error.message));

  void app.whenReady().then(() => {
    setupSessionSecurity();
    setupMenu();
    engine.start();
    setupAppProtocol(engine);
    forward = setupIpc(engine);
    const openWindow = () => createMainWindow(appPaths.preload);
    setupQuit(engine, openWindow);
    openWindow();
  });
}
