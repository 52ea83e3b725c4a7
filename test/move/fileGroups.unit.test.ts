import { describe, expect, it } from 'vitest';
import { groupFiles, groupOf, memberParts } from '../../electron/engine/library/fileGroups.js';
import { freeGroupNames, takenKeys } from '../../electron/engine/move/freeName.js';

describe('groupFiles', () => {
  it('puts a RAW, a Live Photo video and sidecars with the photo of the same stem, whatever their case', () => {
    const groups = groupFiles([
      'IMG_0007.HEIC',
      'img_0007.mov',
      'IMG_0007.AAE',
      'IMG_0007.HEIC.xmp',
      'DSC_1.NEF',
      'DSC_1.JPG',
      'DSC_1.xmp',
      'beach.png',
    ]);
    expect(groups).toEqual([
      { primary: 'DSC_1.JPG', companions: ['DSC_1.NEF', 'DSC_1.xmp'] },
      { primary: 'IMG_0007.HEIC', companions: ['img_0007.mov', 'IMG_0007.AAE', 'IMG_0007.HEIC.xmp'] },
      { primary: 'beach.png', companions: [] },
    ]);
  });

  it('prefers a JPEG over a HEIC over other stills, and keeps a second still of one stem a group of its own', () => {
    expect(groupFiles(['a.png', 'a.heic', 'a.JPG', 'a.mov'])).toEqual([
      { primary: 'a.JPG', companions: ['a.mov'] },
      { primary: 'a.heic', companions: [] },
      { primary: 'a.png', companions: [] },
    ]);
  });

  it('makes a RAW with no still its own primary, and leaves lone videos, sidecars and other files out', () => {
    expect(
      groupFiles(['DSC_2.CR2', 'DSC_2.cr2.xmp', 'clip.mp4', 'notes.xmp', 'readme.txt', '.DS_Store']),
    ).toEqual([{ primary: 'DSC_2.CR2', companions: ['DSC_2.cr2.xmp'] }]);
  });

  it('never puts two names a case-insensitive disk takes for one into a group', () => {
    const groups = groupFiles(['x.jpg', 'x.MOV', 'x.mov', 'x.dng', 'X.DNG']);
    expect(groups).toEqual([
      { primary: 'x.dng', companions: [] },
      { primary: 'x.jpg', companions: ['X.DNG', 'x.MOV'] },
    ]);
  });

  it('finds the whole group from any member', () => {
    const names = ['IMG_1.HEIC', 'IMG_1.MOV', 'IMG_2.HEIC'];
    expect(groupOf('IMG_1.MOV', names)).toEqual({ primary: 'IMG_1.HEIC', companions: ['IMG_1.MOV'] });
    expect(groupOf('IMG_2.HEIC', names)).toEqual({ primary: 'IMG_2.HEIC', companions: [] });
    expect(groupOf('clip.mov', names)).toBeUndefined();
  });
});

describe('freeGroupNames', () => {
  const parts = (...names: string[]) => names.map(memberParts);

  it('keeps the wanted names when all are free', () => {
    expect(freeGroupNames(parts('beach.jpg', 'beach.jpg.xmp'), takenKeys(['other.jpg']))).toEqual([
      'beach.jpg',
      'beach.jpg.xmp',
    ]);
  });

  it('numbers every member alike when any name is taken, skipping numbers taken by any member', () => {
    const taken = takenKeys(['beach.xmp', 'Beach (2).JPG']);
    expect(freeGroupNames(parts('beach.jpg', 'beach.CR2', 'beach.xmp'), taken)).toEqual([
      'beach (3).jpg',
      'beach (3).CR2',
      'beach (3).xmp',
    ]);
  });

  it('continues a number the stems already carry, and keeps each member its own spelling', () => {
    const taken = takenKeys(['IMG_7 (2).heic']);
    expect(freeGroupNames(parts('IMG_7 (2).heic', 'img_7 (2).mov'), taken)).toEqual([
      'IMG_7 (3).heic',
      'img_7 (3).mov',
    ]);
  });

  it('shortens stems, never extensions, to fit 255 bytes', () => {
    const stem = 'é'.repeat(200);
    const names = freeGroupNames(
      parts(`${stem}.jpg`, `${stem}.jpg.xmp`),
      takenKeys([`${stem}.jpg`.slice(0, 0)]),
    );
    expect(names.every((name) => Buffer.byteLength(name) <= 255)).toBe(true);
    expect(names[0]!.endsWith('.jpg')).toBe(true);
    expect(names[1]!.endsWith('.jpg.xmp')).toBe(true);
    const numbered = freeGroupNames(parts(names[0]!, names[1]!), takenKeys([names[1]!]));
    expect(numbered[0]!.endsWith(' (2).jpg')).toBe(true);
    expect(numbered[1]!.endsWith(' (2).jpg.xmp')).toBe(true);
    expect(numbered.every((name) => Buffer.byteLength(name) <= 255)).toBe(true);
  });
});
