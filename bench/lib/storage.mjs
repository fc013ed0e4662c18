// PUTs bytes to a pre-signed URL with exactly the headers the server signed (the app's own shared header function).
import { signedUploadHeaders } from '../../shared/utils/upload-contract.ts'

export async function putSigned(signed, body) {
  const response = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body })
  if (!response.ok) throw new Error(`PUT to storage → ${response.status}: ${await response.text()}`)
}
