// PUTs bytes to a pre-signed URL with exactly the headers the server signed (as composables/useDirectUpload.ts does).
export function signedHeaders(signed) {
  return {
    'content-type': signed.contentType,
    'x-amz-meta-original-filename': signed.originalFilename,
    'x-amz-meta-uploaded-by': signed.uploadedBy,
    'x-amz-meta-uploaded-at': signed.uploadedAt,
  }
}

export async function putSigned(signed, body) {
  const response = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedHeaders(signed), body })
  if (!response.ok) throw new Error(`PUT to storage → ${response.status}: ${await response.text()}`)
}
