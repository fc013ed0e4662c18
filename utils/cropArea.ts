// Geometry of the profile image's crop square, in the cropper canvas's own pixels (components/ProfileImageCropper.vue).

export interface Rect { x: number, y: number, width: number, height: number }

/** A press moves the square this far; with Shift, one pixel for the fine adjustment. */
export const CROP_KEY_STEP = 10

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }

/** The move an arrow key asks for, or null for any other key (or one with Ctrl, Alt or Meta held). */
export function arrowMove(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>): [number, number] | null {
  const direction = ARROWS[event.key]
  if (!direction || event.ctrlKey || event.altKey || event.metaKey) return null
  const step = event.shiftKey ? 1 : CROP_KEY_STEP
  return [direction[0] * step, direction[1] * step]
}

/** Where the square lands when moved by (dx, dy): as far as asked, but stopping at the image's edge. */
export function clampMove(square: Rect, image: Rect, dx: number, dy: number): { x: number, y: number } {
  const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max))
  return {
    x: clamp(square.x + dx, image.x, image.x + image.width - square.width),
    y: clamp(square.y + dy, image.y, image.y + image.height - square.height),
  }
}

/** Whether a proposed square lies inside the image, with half a pixel of slack for rounding. */
export function insideImage(square: Rect, image: Rect, slack = 0.5): boolean {
  return square.width >= 1 && square.x >= image.x - slack && square.y >= image.y - slack
    && square.x + square.width <= image.x + image.width + slack && square.y + square.height <= image.y + image.height + slack
}

export interface ImageBounds extends Rect { scale: number }

/**
 * Where Cropper.js drew the image in its canvas. No rotation or skew here, so its transform is a scale (a = d) around
 * the image's centre plus a translation (e, f).
 */
export function drawnImageBounds(natural: { naturalWidth: number, naturalHeight: number }, transform: number[]): ImageBounds {
  const [scale = 1, , , , e = 0, f = 0] = transform
  const width = natural.naturalWidth * scale
  const height = natural.naturalHeight * scale
  return { x: natural.naturalWidth / 2 + e - width / 2, y: natural.naturalHeight / 2 + f - height / 2, width, height, scale }
}

/** The largest square centred in the image. */
export function centredSquare(image: Rect): Rect {
  const side = Math.min(image.width, image.height)
  return { x: image.x + (image.width - side) / 2, y: image.y + (image.height - side) / 2, width: side, height: side }
}
