/**
 * File names as the file system stores them: bytes. Node decodes them as UTF-8 and turns every invalid byte into
 * U+FFFD, so two names that differ only there (`caf\xE9.png` and `caf\xE8.png`) read as one that does not exist.
 */

/** True when `bytes` is valid UTF-8, so that the decoded name leads back to the same entry. */
export function isUtf8Name(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** The byte length of the UTF-8 sequence `lead` starts, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf5) return 4;
  return 0;
}

/**
 * A name for people that tells such names apart: valid UTF-8 as text, every other byte as `\xNN` (and a
 * backslash as `\\`, so that the two cannot be confused).
 */
export function escapedName(bytes: Buffer): string {
  let shown = '';
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes[i]!);
    const sequence = bytes.subarray(i, i + length);
    if (length > 0 && sequence.length === length && isUtf8Name(sequence)) {
      const text = sequence.toString('utf8');
      shown += text === '\\' ? '\\\\' : text;
      i += length;
    } else {
      shown += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return shown;
}
