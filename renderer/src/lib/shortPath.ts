/**
 * A long library path shortened in the middle, so that both where it starts and the file's name stay readable:
 * `Images/2024/…/beach/IMG_0001.jpg`. The full path goes in a tooltip beside it.
 */

const ELLIPSIS = '…';

/** `path` in at most `max` characters: whole when it fits, else its first folder, `…` and as much of its end. */
export function shortPath(path: string, max = 56): string {
  const chars = [...path];
  if (chars.length <= max) return path;
  const segments = path.split('/');
  const name = segments.pop()!;
  const first = segments.shift();
  if (first !== undefined && [...first].length + [...name].length + 3 <= max) {
    // Keep the first folder and as many of the last folders as fit before the name.
    const tail = [name];
    let length = [...first].length + 2 + [...name].length;
    for (let i = segments.length - 1; i >= 0; i--) {
      const next = [...segments[i]!].length + 1;
      if (length + next + 1 > max) break;
      tail.unshift(segments[i]!);
      length += next;
    }
    return [first, ELLIPSIS, ...tail].join('/');
  }
  // The name alone is too long: cut its middle, keeping its extension.
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return chars.slice(0, head).join('') + ELLIPSIS + chars.slice(chars.length - (keep - head)).join('');
}
