/** Tells the user about a failure that no page asked for (the engine stopping, an unexpected error). */
import { Notification } from 'electron';

let last = { message: '', at: 0 };

/** Shows `message` as a system notification; the same message is not repeated within ten seconds. */
export function notifyError(message: string): void {
  console.error(`ClipSort: ${message}`);
  const now = Date.now();
  if (message === last.message && now - last.at < 10_000) return;
  last = { message, at: now };
  if (Notification.isSupported()) new Notification({ title: 'ClipSort', body: message }).show();
}
