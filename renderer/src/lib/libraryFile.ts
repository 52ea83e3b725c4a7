import type { MapPoint } from './map/colours.js';

/**
 * What a library path says of its image: waiting in `Images/`, a reference in `Classes/<class>/`, or sorted into
 * `Dataset/<class>/`, as the map tells it (anything else counts as the inbox).
 */
export function fileFacts(file: string): Pick<MapPoint, 'kind' | 'class'> {
  const [top, folder, ...rest] = file.split('/');
  const className = rest.length > 0 && folder ? folder : null;
  if (top === 'Classes' && className) return { kind: 'reference', class: className };
  if (top === 'Dataset' && className) return { kind: 'sorted', class: className };
  return { kind: 'inbox', class: null };
}

/** A point for an image known only by its path (a search result), for what shows map points, such as the viewer. */
export function pointOfFile(file: string): MapPoint {
  return { file, ...fileFacts(file), predicted: null, score: null, margin: null, x: 0, y: 0 };
}
