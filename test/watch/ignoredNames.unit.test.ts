import { describe, expect, it } from 'vitest';
import {
  hasDownloadCompanion,
  isIgnoredName,
  isIgnoredPath,
} from '../../electron/engine/library/ignoredNames.js';

describe('isIgnoredName', () => {
  it.each([
    ['.hidden.jpg', true],
    ['.clipsort', true],
    ['.clipsort-5f3a.tmp', true],
    ['.DS_Store', true],
    ['photo.jpg.part', true],
    ['photo.JPG.PART', true],
    ['Unconfirmed 123456.crdownload', true],
    ['photo.jpg.download', true],
    ['photo.jpg.partial', true],
    ['photo.jpg.opdownload', true],
    ['photo.jpg.tmp', true],
    ['photo.jpg.filepart', true],
    ['photo.jpg.aria2', true],
    ['photo.jpg.!ut', true],
    ['photo.jpg.!qB', true],
    ['~$photo.jpg', true],
    ['photo.jpg', false],
    ['~photo.jpg', false],
    ['holiday.partridge.jpg', false],
    ['2024 trip', false],
    ['party.png', false],
  ])('%s → %s', (name, ignored) => {
    expect(isIgnoredName(name)).toBe(ignored);
  });
});

describe('isIgnoredPath', () => {
  it.each([
    ['Images/a.jpg', false],
    ['Images/2024/a.jpg', false],
    ['Images/.clipsort/a.jpg', true],
    ['Images/.git/objects/a.jpg', true],
    ['Images/photo.jpg.download/photo.jpg', true],
    ['Images/sub/.a.jpg', true],
  ])('%s → %s', (relative, ignored) => {
    expect(isIgnoredPath(relative)).toBe(ignored);
  });
});

describe('hasDownloadCompanion', () => {
  const folder = new Set([
    'download.jpg',
    'download.jpg.part',
    'big.png',
    'big.png.aria2',
    'done.jpg',
    'other.part',
  ]);
  it.each([
    ['download.jpg', true],
    ['Download.JPG', true],
    ['big.png', true],
    ['done.jpg', false],
    ['other.jpg', false],
  ])('%s → %s', (name, downloading) => {
    expect(hasDownloadCompanion(name, folder)).toBe(downloading);
  });
});
