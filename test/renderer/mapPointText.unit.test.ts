import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../renderer/src/i18n/en.js';
import { imageUrl } from '../../renderer/src/lib/map/imageUrl.js';
import { pointDetails } from '../../renderer/src/lib/map/pointDetails.js';

describe('image addresses', () => {
  it('escapes each segment of the path and keeps the slashes', () => {
    expect(imageUrl('Dataset/a b/#1?.jpg')).toBe('/image/Dataset/a%20b/%231%3F.jpg');
    expect(imageUrl('Images/ñ/%.png')).toBe('/image/Images/%C3%B1/%25.png');
  });

  it('shows a HEIC or TIFF, which browsers cannot display, through its largest thumbnail', () => {
    expect(imageUrl('Images/IMG_0007.HEIC')).toBe('/image/Images/IMG_0007.HEIC?size=1024');
    expect(imageUrl('Dataset/scans/page.tif')).toBe('/image/Dataset/scans/page.tif?size=1024');
    expect(imageUrl('Images/heic.jpg')).toBe('/image/Images/heic.jpg');
  });
});

describe('point details', () => {
  const t = (key: MessageKey) => en[key];
  const point = {
    file: 'Dataset/cats/a.jpg',
    kind: 'sorted' as const,
    class: 'cats',
    predicted: 'dogs',
    score: 0.4567,
    margin: 0.1,
    x: 0,
    y: 0,
  };

  it('names the kind, the folder class and the prediction with its score', () => {
    expect(pointDetails(point, t)).toBe('Sorted · cats · Predicted: dogs (0.46)');
    expect(pointDetails({ ...point, kind: 'inbox', class: null, score: null }, t)).toBe(
      'Inbox · Predicted: dogs',
    );
    expect(pointDetails({ ...point, predicted: null, score: null }, t)).toBe('Sorted · cats');
  });
});
