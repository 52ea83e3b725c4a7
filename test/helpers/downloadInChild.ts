/**
 * Runs one download in its own process so a test can kill it with SIGKILL midway.
 * Usage: node --import tsx test/helpers/downloadInChild.ts <url> <dest> <sha256>
 * Prints `progress <bytes>` as bytes arrive and `done <sha256>` at the end.
 */
import { downloadFile } from '../../electron/engine/models/download.js';

const [url, dest, sha256] = process.argv.slice(2);
if (!url || !dest || !sha256) throw new Error('usage: downloadInChild.ts <url> <dest> <sha256>');
const result = await downloadFile(url, dest, {
  expectedSha256: sha256,
  retryDelayMs: 10,
  onProgress: (done) => process.stdout.write(`progress ${done}\n`),
});
process.stdout.write(`done ${result.sha256}\n`);
