import type { PreprocessSpec } from './preprocessConfig.js';

export interface Size {
  width: number;
  height: number;
}

export interface Box extends Size {
  left: number;
  top: number;
}

/** Python's `round`: halves go to the even neighbour, as torchvision's centre crop does. */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The size the reference resize produces: the shortest side becomes the target and the longest side is scaled
 * and truncated, as torchvision's `Resize(int)` does.
 */
export function resizedSize(image: Size, resize: PreprocessSpec['resize']): Size {
  if (!resize) return image;
  if ('width' in resize) return resize;
  const { width, height } = image;
  const target = resize.shortestEdge;
  if (width <= height) return { width: target, height: Math.trunc((target * height) / width) };
  return { width: Math.trunc((target * width) / height), height: target };
}

/** The centre crop box of torchvision's `CenterCrop`. */
export function centreCropBox(image: Size, crop: Size): Box {
  if (crop.width > image.width || crop.height > image.height) {
    throw new RangeError(`crop ${crop.width}x${crop.height} is larger than ${image.width}x${image.height}`);
  }
  return {
    left: roundHalfToEven((image.width - crop.width) / 2),
    top: roundHalfToEven((image.height - crop.height) / 2),
    ...crop,
  };
}
