import type { MessageKey } from '../../i18n/en.js';
import type { MapPoint } from './colours.js';

/** One line about a point for people: where the image lies, its folder class, and its prediction with the score. */
export function pointDetails(point: MapPoint, t: (key: MessageKey) => string): string {
  const parts = [t(`map.kind.${point.kind}`)];
  if (point.class !== null) parts.push(point.class);
  if (point.predicted !== null) {
    const score = point.score === null ? '' : ` (${point.score.toFixed(2)})`;
    parts.push(`${t('map.predicted')}: ${point.predicted}${score}`);
  }
  return parts.join(' · ');
}
