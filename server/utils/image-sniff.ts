import type { R2Bucket } from '@cloudflare/workers-types'

// Magic-byte detection for the image types the app accepts (shared/utils/policy.ts). Hand-written rather than
// `file-type`: that is not installed, its entry points pull Node streams/Buffer into the Worker bundle, and the
// handful of signatures below is all we need.

/** How many leading bytes to read for a verdict; enough for every binary signature and a typical SVG prologue. */
export const IMAGE_SNIFF_BYTES = 4096

/** Every type sniffImageType can return; an image type outside this list cannot be verified and is refused. */
export const SNIFFABLE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml'] as const

const PNG = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
const JPEG = [0xFF, 0xD8, 0xFF]
const AVIF_BRANDS = new Set(['avif', 'avis'])

// SVG is text, so it has no magic number: after an optional BOM, whitespace, XML declaration, comments and doctype,
// the first element must be <svg. An HTML page with an inline <svg> is not an SVG image. UTF-16 SVG is not accepted.
const SVG_PROLOGUE = /^\uFEFF?(?:\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<svg[\s>/]/i

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte)
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return bytes.length >= end ? String.fromCharCode(...bytes.subarray(start, end)) : ''
}

/** ISO-BMFF `ftyp` box: AVIF when the major brand or a compatible brand is avif/avis (HEIC is not accepted). */
function isAvif(bytes: Uint8Array): boolean {
  if (ascii(bytes, 4, 8) !== 'ftyp') return false
  const boxSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
  const end = Math.min(boxSize, bytes.length)
  if (AVIF_BRANDS.has(ascii(bytes, 8, 12))) return true
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    if (AVIF_BRANDS.has(ascii(bytes, offset, offset + 4))) return true
  }
  return false
}

/**
 * The image MIME type the leading bytes of a file show (pass at least the first IMAGE_SNIFF_BYTES when there are
 * that many), or null when they show none of SNIFFABLE_IMAGE_TYPES: text, other formats, or too few bytes.
 */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, JPEG)) return 'image/jpeg'
  const head = ascii(bytes, 0, 6)
  if (head === 'GIF87a' || head === 'GIF89a') return 'image/gif'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  if (isAvif(bytes)) return 'image/avif'
  if (SVG_PROLOGUE.test(new TextDecoder().decode(bytes.subarray(0, IMAGE_SNIFF_BYTES)))) return 'image/svg+xml'
  return null
}

/** Whether the bytes are the declared image type; types we cannot sniff never match. */
export function imageBytesMatch(contentType: string, bytes: Uint8Array): boolean {
  return sniffImageType(bytes) === contentType
}

/**
 * Reads the first bytes of a stored object through the binding and checks them against `contentType`. False when
 * the object is gone or empty. `size` (from a head) keeps the range inside the object.
 */
export async function storedImageMatches(bucket: R2Bucket, key: string, contentType: string, size: number): Promise<boolean> {
  if (size === 0) return false
  const object = await bucket.get(key, { range: { offset: 0, length: Math.min(size, IMAGE_SNIFF_BYTES) } })
  if (!object) return false
  return imageBytesMatch(contentType, new Uint8Array(await object.arrayBuffer()))
}
