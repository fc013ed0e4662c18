// PUTs bytes to a pre-signed URL with exactly the headers the server signed (the app's own shared header function).
import { signedUploadHeaders } from '../../shared/utils/upload-contract.ts'

export async function putSigned(signed, body) {
  const response = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body })
  if (!response.ok) throw new Error(`PUT to storage → ${response.status}: ${await response.text()}`)
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/**
 * `size` bytes the server takes for a PNG (it checks a stored profile image's leading bytes, and replaces anything
 * else with a tombstone): the PNG signature, then `fill`. A different fill makes different bytes (a new ETag).
 */
export function pngLike(size, fill = 0) {
  const bytes = Buffer.alloc(size, fill)
  bytes.set(PNG_SIGNATURE)
  return bytes
}
