// The small WebP an image upload carries beside it, so the grid shows a few KB instead of the original. Made in the
// browser from one decode of the file; any failure (a type the browser cannot decode or encode, a preview over the
// cap) means no preview, never a failed upload.
import { previewPolicy, wantsPreview } from '#shared/utils/policy'
import type { SignedPreview } from '#shared/utils/upload-contract'

/** The preview's size: the longest side at most `maxSide`, the aspect ratio kept, never scaled up, at least 1 px. */
export function previewDimensions(width: number, height: number, maxSide: number = previewPolicy.maxSidePixels) {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** WebP qualities tried in turn until the preview fits the cap (a detailed photo may need a lower one). */
export const PREVIEW_QUALITIES = [0.8, 0.6, 0.4] as const

/** The first encoding that is WebP and within `maxBytes`; null when the browser cannot encode WebP or none fits. */
export async function firstFittingPreview(encode: (quality: number) => Promise<Blob | null>, maxBytes: number = previewPolicy.maxBytes): Promise<Blob | null> {
  for (const quality of PREVIEW_QUALITIES) {
    const blob = await encode(quality)
    // A browser without a WebP encoder answers PNG: no preview then.
    if (blob?.type !== previewPolicy.contentType) return null
    if (blob.size <= maxBytes) return blob
  }
  return null
}

type PreviewCanvas = OffscreenCanvas | HTMLCanvasElement

function canvasOf(width: number, height: number): PreviewCanvas {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height)
  return Object.assign(document.createElement('canvas'), { width, height })
}

function encodeCanvas(canvas: PreviewCanvas, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: previewPolicy.contentType, quality }).catch(() => null)
  return new Promise(resolve => canvas.toBlob(resolve, previewPolicy.contentType, quality))
}

/**
 * The preview of `file` as a WebP Blob, or null when it gets none (see previewPolicy) or the browser cannot make one.
 * createImageBitmap applies the photo's EXIF orientation, so the preview is upright like the original shown in full.
 */
export async function makePreview(file: File, contentType: string): Promise<Blob | null> {
  if (!wantsPreview(contentType, file.size) || typeof createImageBitmap !== 'function') return null
  let bitmap: ImageBitmap | undefined
  try {
    bitmap = await createImageBitmap(file)
    const { width, height } = previewDimensions(bitmap.width, bitmap.height)
    const canvas = canvasOf(width, height)
    const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
    if (!context) return null
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, width, height)
    return await firstFittingPreview(quality => encodeCanvas(canvas, quality))
  }
  catch {
    return null
  }
  finally {
    bitmap?.close()
  }
}

/** The `preview` field of an upload request for this Blob (absent without one). */
export function previewRequest(preview: Blob | null | undefined) {
  return preview ? { contentType: preview.type, fileSize: preview.size } : undefined
}

/**
 * PUTs the preview through its signed URL with exactly the signed headers. Never throws: a preview that does not
 * arrive leaves the file on its type icon or original, and the upload goes on. A 412 means this URL already wrote it.
 */
export async function putPreview(signed: SignedPreview | undefined, preview: Blob | null | undefined, put: typeof fetch = fetch): Promise<boolean> {
  if (!signed || !preview) return false
  try {
    const response = await put(signed.presignedUrl, { method: 'PUT', headers: signed.headers, body: preview })
    return response.ok || response.status === 412
  }
  catch {
    return false
  }
}
