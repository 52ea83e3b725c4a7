// Takes a library's lock in a child process, says so on stdout, and holds it until killed.
import { LibraryLock } from '../../electron/engine/store/libraryLock.js';

const root = process.argv[2]!;
await LibraryLock.acquire(root, 'clipsort watch');
process.stdout.write('locked\n');
setInterval(() => undefined, 1_000);
