/**
 * The byte-level alphabet of GPT-2 and CLIP tokenizers: each of the 256 byte values is shown as one printable
 * character, printable ASCII and Latin-1 as themselves and the rest as characters from U+0100 on.
 */

function isShownAsItself(byte: number): boolean {
  return (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
}

/** [byte, character] pairs in vocabulary order: the bytes shown as themselves first, then the others. */
export function byteAlphabet(): [number, string][] {
  const bytes = Array.from({ length: 256 }, (_, byte) => byte);
  const itself = bytes
    .filter(isShownAsItself)
    .map((byte): [number, string] => [byte, String.fromCharCode(byte)]);
  const shifted = bytes
    .filter((byte) => !isShownAsItself(byte))
    .map((byte, index): [number, string] => [byte, String.fromCharCode(256 + index)]);
  return [...itself, ...shifted];
}
