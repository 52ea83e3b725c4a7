/**
 * Reading `Classes/<name>/prompt.txt`. The file is the user's, and the folder may be synced or shared, so it is
 * read defensively: only a regular file (never a FIFO, a device or a link to one, which would block or never
 * end), only its first MAX_PROMPT_FILE_BYTES, at most MAX_PROMPTS prompts of at most MAX_PROMPT_CHARS each (CLIP
 * reads 77 tokens, so longer text only costs time). What is left out is said, never dropped silently.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The most of a prompt file that is read. */
export const MAX_PROMPT_FILE_BYTES = 16 * 1024;
/** The most prompts a class takes from its file. */
export const MAX_PROMPTS = 64;
/** The longest prompt kept; longer lines are cut here. */
export const MAX_PROMPT_CHARS = 300;

/** Why part or all of a prompt file was not used; `code` is translated by the faces. */
export interface PromptNotice {
  code: 'prompt-file-refused' | 'prompt-file-truncated';
  message: string;
}

export interface PromptFile {
  /** The prompt lines, trimmed, without blanks and `#` comments; empty when there is no usable file. */
  lines: string[];
  notices: PromptNotice[];
}

/** Reads up to `limit` bytes from the start of an open file. */
async function readHead(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The prompt file at `file` (shown to the user as `shown`); a missing or unreadable file has no lines. */
export async function readPromptFile(file: string, shown: string): Promise<PromptFile> {
  let handle;
  try {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer; regular files read
    // the same either way.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { lines: [], notices: [] };
  }
  const notices: PromptNotice[] = [];
  const cut: string[] = [];
  let text: string;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const message = `${shown} is not a regular file, so it was ignored and the class name is used as its prompt.`;
      return { lines: [], notices: [{ code: 'prompt-file-refused', message }] };
    }
    // One byte more than the limit tells a file of exactly the limit from a longer one.
    let head = await readHead(handle, MAX_PROMPT_FILE_BYTES + 1);
    if (head.length > MAX_PROMPT_FILE_BYTES) {
      head = head.subarray(0, MAX_PROMPT_FILE_BYTES);
      // End on a whole line, so neither a half prompt nor a split UTF-8 character is kept.
      const newline = head.lastIndexOf(0x0a);
      if (newline !== -1) head = head.subarray(0, newline);
      cut.push(`only its first ${MAX_PROMPT_FILE_BYTES / 1024} KiB were read`);
    }
    text = head.toString('utf8');
  } catch {
    return { lines: [], notices: [] };
  } finally {
    await handle.close();
  }
  let lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  if (lines.length > MAX_PROMPTS) {
    cut.push(`only its first ${MAX_PROMPTS} prompts were used (of ${lines.length})`);
    lines = lines.slice(0, MAX_PROMPTS);
  }
  if (lines.some((line) => line.length > MAX_PROMPT_CHARS)) {
    cut.push(`prompts longer than ${MAX_PROMPT_CHARS} characters were shortened`);
    lines = lines.map((line) => (line.length > MAX_PROMPT_CHARS ? cutAt(line, MAX_PROMPT_CHARS) : line));
  }
  if (cut.length > 0) {
    notices.push({ code: 'prompt-file-truncated', message: `${shown} is too long: ${cut.join('; ')}.` });
  }
  return { lines, notices };
}

/** The first `max` UTF-16 units of `line`, never splitting a surrogate pair, trimmed. */
function cutAt(line: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(line[max - 1] ?? '') ? max - 1 : max;
  return line.slice(0, end).trimEnd();
}
