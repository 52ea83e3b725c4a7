import { thumbnailUrl } from '../classes.svelte.js';
import type { Picture } from './painter.js';
import { ThumbnailCache } from './thumbnailCache.js';

/** Thumbnails kept for the map, loads in flight at once, and the thumbnail size asked of the server. */
const CAPACITY = 600;
const PARALLEL = 6;
const SIZE = 128;

/** A cache of the library's thumbnails as decoded images for the canvas; `loaded` is called as each arrives. */
export function thumbnailImages(loaded: () => void): ThumbnailCache<Picture> {
  return new ThumbnailCache<Picture>({
    capacity: CAPACITY,
    parallel: PARALLEL,
    loaded,
    load: (file, done) => {
      const image = new Image();
      image.decoding = 'async';
      image.onload = () => done(true);
      image.onerror = () => done(false);
      image.src = thumbnailUrl(file, SIZE);
      return {
        image,
        get width() {
          return image.naturalWidth;
        },
        get height() {
          return image.naturalHeight;
        },
      };
    },
  });
}
