import { describe, expect, it } from 'vitest';
import { shortPath } from '../../renderer/src/lib/shortPath.js';

describe('shortPath', () => {
  it('leaves a path that fits as it is', () => {
    expect(shortPath('Images/beach.jpg', 56)).toBe('Images/beach.jpg');
  });

  it('keeps the first folder and the end, with the file name whole', () => {
    const path = 'Images/2024/summer holidays/spain/costa brava/beach/IMG_0001.jpg';
    const short = shortPath(path, 40);
    expect([...short].length).toBeLessThanOrEqual(40);
    expect(short).toBe('Images/…/costa brava/beach/IMG_0001.jpg');
  });

  it('cuts the middle of a name too long on its own, keeping its extension', () => {
    const path = `Dataset/red/${'a'.repeat(80)}.jpeg`;
    const short = shortPath(path, 30);
    expect([...short]).toHaveLength(30);
    expect(short.startsWith('Dataset/red/')).toBe(true);
    expect(short.endsWith('a.jpeg')).toBe(true);
    expect(short).toContain('…');
  });

  it('counts characters, not UTF-16 units', () => {
    const path = `Images/${'📷'.repeat(30)}/x.jpg`;
    expect([...shortPath(path, 20)].length).toBeLessThanOrEqual(20);
  });
});
