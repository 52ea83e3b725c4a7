/**
 * A child process that reads, hashes and decodes images. libvips parses untrusted files in native code; if a
 * file crashes it, only this process dies, and the engine restarts it.
 */
import { ClipSortError, errorMessage } from '../errors.js';
import { decodeForModel } from './imageCodec.js';
import { readImageFile } from './imageFile.js';
import type { DecodeReply, DecodeRequest } from './decodeProtocol.js';

const reply = (message: DecodeReply) => process.send!(message);

process.on('message', (request: DecodeRequest) => {
  void (async () => {
    try {
      const file = await readImageFile(request.path, request.name);
      const pixels = await decodeForModel(file.bytes, request.spec, request.name);
      reply({
        id: request.id,
        ok: true,
        size: file.size,
        mtimeMs: file.mtimeMs,
        sha256: file.sha256,
        pixels,
      });
    } catch (error) {
      const code = error instanceof ClipSortError ? error.code : 'image-corrupt';
      reply({ id: request.id, ok: false, code, message: errorMessage(error) });
    }
  })();
});
reply({ ready: true });
// The engine is gone: nothing will ask for more.
process.on('disconnect', () => process.exit(0));
