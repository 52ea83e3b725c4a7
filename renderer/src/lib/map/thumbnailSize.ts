/**
 * When the map draws thumbnails in place of dots: from a little under 2× zoom, growing with the zoom up to a
 * size that still shows a neighbourhood. At most `THUMB_LIMIT` at once, the ones nearest the centre.
 */

/** Thumbnails replace dots once they would be this large (CSS pixels)… */
const THUMB_MIN = 32;
const THUMB_MAX = 112;
/** …at this many CSS pixels per base pixel of zoom (so from 32 / 18 ≈ 1.8×). */
const THUMB_PER_ZOOM = 18;
/** At most this many on screen. */
export const THUMB_LIMIT = 150;

/** The side of thumbnails at zoom `k`, or 0 where dots are drawn instead. */
export function thumbnailSize(k: number): number {
  const side = Math.min(THUMB_MAX, THUMB_PER_ZOOM * k);
  return side >= THUMB_MIN ? side : 0;
}
