/**
 * Image formats ClipSort recognises but does not decode, told apart by their first bytes (never by the name, which
 * may lie): each is reported as "not supported yet" rather than as a damaged file. Vector and markup formats (SVG)
 * are never handed to libvips, which would render them: they can load other files and run for as long as they ask.
 */

interface Signature {
  format: string;
  matches: (bytes: Uint8Array) => boolean;
}

const startsWith = (bytes: Uint8Array, ...values: number[]) => values.every((value, i) => bytes[i] === value);
const ascii = (bytes: Uint8Array, from: number, text: string) =>
  Buffer.from(bytes.subarray(from, from + text.length)).toString('latin1') === text;

const DIB_HEADERS = new Set([12, 40, 52, 56, 64, 108, 124]);

const SIGNATURES: Signature[] = [
  // A bare JPEG XL codestream, or one in its ISO-BMFF container.
  { format: 'JPEG XL', matches: (b) => startsWith(b, 0xff, 0x0a) || ascii(b, 4, 'JXL \r\n\x87\n') },
  {
    format: 'JPEG 2000',
    matches: (b) => ascii(b, 4, 'jP  \r\n\x87\n') || startsWith(b, 0xff, 0x4f, 0xff, 0x51),
  },
  // `BM`, then (past the file header) the size of one of the DIB headers Windows has defined.
  {
    format: 'BMP',
    matches: (b) => ascii(b, 0, 'BM') && b.length >= 18 && DIB_HEADERS.has(b[14]! + (b[15]! << 8)),
  },
  { format: 'Photoshop', matches: (b) => ascii(b, 0, '8BPS') },
];

/** Markup after an optional byte-order mark and white space: SVG, or XML that could be. */
function isMarkup(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return /^<(\?xml|svg|!doctype svg)/i.test(head);
}

/** Why `bytes` will not be decoded, as a sentence after the file's name, or undefined when they may be. */
export function unsupportedFormat(bytes: Uint8Array): string | undefined {
  if (isMarkup(bytes)) {
    return 'SVG drawings are not sorted: ClipSort never renders them, since a drawing can load other files.';
  }
  const known = SIGNATURES.find((signature) => signature.matches(bytes));
  return known && `${known.format} images are not supported yet; convert it to JPEG or PNG to sort it.`;
}
