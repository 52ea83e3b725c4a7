/**
 * `npm start`'s first step: stops at once, before anything is built, when the Electron binary is not there, and
 * says how to get it or how to use the same app in a browser instead.
 */
import { electronBinary, NO_ELECTRON_BINARY } from './electronBinary.js';

if (!electronBinary()) {
  console.error(NO_ELECTRON_BINARY);
  process.exit(1);
}
