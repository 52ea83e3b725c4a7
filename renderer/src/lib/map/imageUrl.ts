/** The address of a library image at full size (the path's segments are escaped; the server checks the rest). */
export function imageUrl(file: string): string {
  return `/image/${file.split('/').map(encodeURIComponent).join('/')}`;
}
