// Browser-side image work for the profile image: prove a file is an image before anything is sent, and encode the
// cropped result small (WebP where the browser can encode it, else JPEG).
import { FILE_TYPES, profileImagePolicy } from '../shared/utils/policy'

/** The image's size in pixels, or null when the browser cannot decode it; the decoded bitmap is dropped at once. */
export async function decodedImageSize(file: Blob): Promise<{ width: number, height: number } | null> {
  try {
    const bitmap = await createImageBitmap(file)
    const { width, height } = bitmap
    bitmap.close()
    return { width, height }
  }
  catch {
    return null
  }
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return new Promise(resolve => canvas.toBlob(resolve, type, quality))
}

const WEBP_QUALITY = 0.9
const JPEG_QUALITY = 0.9

/**
 * The canvas as WebP; where the browser cannot encode WebP, toBlob silently returns PNG, so that is detected by the
 * result's type and JPEG is used instead (on white: JPEG has no transparency).
 */
export async function encodeImage(canvas: HTMLCanvasElement): Promise<Blob> {
  const webp = await toBlob(canvas, 'image/webp', WEBP_QUALITY)
  if (webp?.type === 'image/webp') return webp
  const flat = document.createElement('canvas')
  flat.width = canvas.width
  flat.height = canvas.height
  const context = flat.getContext('2d')!
  context.fillStyle = '#fff'
  context.fillRect(0, 0, flat.width, flat.height)
  context.drawImage(canvas, 0, 0)
  const jpeg = await toBlob(flat, 'image/jpeg', JPEG_QUALITY)
  if (!jpeg) throw new Error('This browser could not encode the image. Try another browser.')
  return jpeg
}

/** `photo.png` → `photo.webp`: the stored file's name says what it now is. */
export function renameForType(filename: string, contentType: string): string {
  const extension = FILE_TYPES[contentType]?.extension ?? 'bin'
  const dot = filename.lastIndexOf('.')
  return `${dot > 0 ? filename.slice(0, dot) : filename || profileImagePolicy.defaultFilename}.${extension}`
}
