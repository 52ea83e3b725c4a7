import { expect, it } from 'vitest';
import { parseDigest } from '../../electron/engine/models/remoteDigest.js';

const sha256 = 'a'.repeat(64);
const sha1 = 'b'.repeat(40);

it.each([
  [`"${sha256}"`, { algorithm: 'sha256', hex: sha256 }],
  [`W/"${sha1}"`, { algorithm: 'git-blob-sha1', hex: sha1 }],
  [sha256.toUpperCase(), { algorithm: 'sha256', hex: sha256 }],
  [` "${sha1}" `, { algorithm: 'git-blob-sha1', hex: sha1 }],
  ['"5f3a-1234"', undefined],
  [`"${'c'.repeat(32)}"`, undefined], // an MD5, as S3 states: not a hash we can check
  ['', undefined],
  [null, undefined],
])('%s', (header, expected) => {
  expect(parseDigest(header)).toEqual(expected);
});
