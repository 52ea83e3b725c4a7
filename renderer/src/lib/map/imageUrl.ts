/** Formats browsers do not display: shown through the largest thumbnail ClipSort makes instead. */
const NOT_SHOWN = /\.(heic|heif|tiff?)$/i;
/** The largest thumbnail size the server makes (see thumbnails.ts). */
const LARGEST_THUMBNAIL = 1024;

/**
 * The address of a library image at full size, or (HEIC, TIFF) a 1024-pixel rendering of it; the path's segments
 * are escaped and the server checks the rest.
 */
export function imageUrl(file: string): string {
  const address = `/image/${file.split('/').map(encodeURIComponent).join('/')}`;
  return NOT_SHOWN.test(file) ? `${address}?size=${LARGEST_THUMBNAIL}` : address;
}
