/**
 * The real decoding process, except that it dies of a segmentation fault when asked for a file whose name
 * contains "crash": how a libvips bug met with a malicious file would look to the engine.
 */
await import('../../electron/engine/imaging/decodeWorker.js');
process.on('message', (request: { name: string }) => {
  if (request.name.includes('crash')) process.kill(process.pid, 'SIGSEGV');
});
