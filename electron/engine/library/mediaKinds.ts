/**
 * What a file in a photo folder is, by its extension: a still ClipSort decodes, a camera's RAW, a video, or a
 * sidecar another program keeps beside a photo. The extension only routes a file; decoders still check its bytes.
 */
import path from 'node:path';

/** Stills ClipSort reads, or names as not supported yet (see unsupportedFormats.ts) rather than leave unseen. */
const STILL_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.jxl',
  '.jp2',
  '.bmp',
  '.psd',
  '.svg',
]);

/** Cameras' RAW files, read through the JPEG preview they embed. */
export const RAW_EXTENSIONS = new Set([
  '.dng',
  '.cr2',
  '.cr3',
  '.nef',
  '.nrw',
  '.arw',
  '.raf',
  '.orf',
  '.rw2',
  '.pef',
  '.srw',
]);

/** A phone's clips and a Live Photo's motion. */
const VIDEO_EXTENSIONS = new Set(['.mov', '.mp4', '.m4v', '.3gp', '.avi', '.mkv', '.webm', '.mts']);

/** Files that describe a photo and mean nothing without it: XMP metadata, Apple's edit recipes. */
const SIDECAR_EXTENSIONS = new Set(['.xmp', '.aae']);

export type MediaKind = 'still' | 'raw' | 'video' | 'sidecar';

/** The kind of file `name` is by its extension (any case), or undefined when it is none of them. */
export function mediaKind(name: string): MediaKind | undefined {
  const extension = path.extname(name).toLowerCase();
  if (STILL_EXTENSIONS.has(extension)) return 'still';
  if (RAW_EXTENSIONS.has(extension)) return 'raw';
  if (VIDEO_EXTENSIONS.has(extension)) return 'video';
  if (SIDECAR_EXTENSIONS.has(extension)) return 'sidecar';
  return undefined;
}

/** True for a RAW file's name (`IMG_0001.CR2`). */
export function isRawName(name: string): boolean {
  return mediaKind(name) === 'raw';
}
