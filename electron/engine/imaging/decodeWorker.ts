/**
 * A child process that reads, hashes and decodes images, and makes their thumbnails. libvips parses untrusted
 * files in native code; if a file crashes it, only this process dies, and the engine restarts it.
 */
import { ClipSortError, errorMessage } from '../errors.js';
import { decodeForModel, thumbnail } from './imageCodec.js';
import { readImageFile } from './imageFile.js';
import type { DecodeReply, DecodeRequest } from './decodeProtocol.js';

const reply = (message: DecodeReply) => process.send!(message);

async function answer(request: DecodeRequest): Promise<DecodeReply> {
  if (request.kind === 'thumbnail') {
    return { id: request.id, ok: true, webp: await thumbnail(request.bytes, request.size, request.name) };
  }
  const file = await readImageFile(request.path, request.name);
  const pixels = await decodeForModel(file.bytes, request.spec, request.name);
  return { id: request.id, ok: true, size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256, pixels };
}

process.on('message', (request: DecodeRequest) => {
  answer(request).then(reply, (error: unknown) => {
    const code = error instanceof ClipSortError ? error.code : 'image-corrupt';
    reply({ id: request.id, ok: false, code, message: errorMessage(error) });
  });
});
reply({ ready: true });
// The engine is gone: nothing will ask for more.
process.on('disconnect', () => process.exit(0));
