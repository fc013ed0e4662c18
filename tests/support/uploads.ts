import { expect } from 'vitest'
import { api, type TestUser } from './api'
import { makePng } from './png'
import { signedUploadHeaders, type SignedGenericUpload, type SignedPreview, type SignedUpload } from './storage'

// The upload flows as the browser runs them, for the integration suites against the shared test worker: ask for a
// pre-signed URL, PUT the bytes straight to storage with exactly the signed headers, then tell the app.

/** The PUT a browser sends to a pre-signed URL: the signed headers (or `headers`, to send something else) and the bytes. */
export function putSigned(
  signed: SignedUpload | SignedPreview,
  body: BodyInit,
  { headers = 'uploadedBy' in signed ? signedUploadHeaders(signed) : signed.headers, url = signed.presignedUrl }: { headers?: HeadersInit, url?: string } = {},
) {
  return fetch(url, { method: 'PUT', headers, body })
}

/** POST /api/uploads/pre-signed-url, which must answer 200 (the body is shown when it does not). */
export async function requestUpload(user: TestUser, body: { filename: string, contentType: string, fileSize: number, preview?: { contentType: string, fileSize: number } }) {
  const response = await api('/api/uploads/pre-signed-url', { method: 'POST', cookie: user.cookie, json: body })
  expect(response.status, await response.clone().text()).toBe(200)
  return await response.json() as SignedGenericUpload
}

/** POST /api/uploads/:id/complete. */
export const completeUpload = (user: TestUser, id: string) => api(`/api/uploads/${id}/complete`, { method: 'POST', cookie: user.cookie })

/** A file uploaded and committed: signed, PUT (200) and completed (200). */
export async function committedUpload(user: TestUser, filename: string, bytes: Uint8Array<ArrayBuffer>, contentType = 'text/plain') {
  const signed = await requestUpload(user, { filename, contentType, fileSize: bytes.length })
  const put = await putSigned(signed, bytes)
  await put.arrayBuffer()
  expect(put.status).toBe(200)
  const completed = await completeUpload(user, signed.uploadId)
  await completed.arrayBuffer()
  expect(completed.status).toBe(200)
  return signed
}

/** POST /api/user/profile/image with the given body, which must answer 200. */
export async function requestProfileUpload(user: TestUser, body: { contentType: string, fileSize: number, originalFilename?: string, [field: string]: unknown }) {
  const response = await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: body })
  expect(response.status, await response.clone().text()).toBe(200)
  return await response.json() as SignedUpload
}

/** A PNG profile image signed and PUT (200), not yet confirmed; without `originalFilename` none is sent. */
export async function putProfileImage(user: TestUser, bytes: Uint8Array<ArrayBuffer>, originalFilename?: string) {
  const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: bytes.length, originalFilename })
  const put = await putSigned(signed, bytes)
  await put.arrayBuffer()
  expect(put.status).toBe(200)
  return signed
}

export interface MultipartUpload { id: string, key: string, partSize: number, partCount: number, expiresIn: number, fileSize: number }
export interface SignedPart { partNumber: number, size: number, url: string }

/** POST /api/uploads/multipart, which must answer 200. */
export async function createMultipart(user: TestUser, fileSize: number, filename = 'big.bin', contentType = 'application/octet-stream') {
  const response = await api('/api/uploads/multipart', { method: 'POST', cookie: user.cookie, json: { filename, contentType, fileSize } })
  expect(response.status, await response.clone().text()).toBe(200)
  return await response.json() as MultipartUpload
}

/** POST /api/uploads/multipart/:id/parts, which must answer 200: one PUT URL per part. */
export async function signParts(user: TestUser, id: string, partNumbers: number[]) {
  const response = await api(`/api/uploads/multipart/${id}/parts`, { method: 'POST', cookie: user.cookie, json: { partNumbers } })
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json() as { parts: SignedPart[] }).parts
}

/** Part `partNumber` of `bytes`, cut at the upload's part size. */
export const partBytes = (bytes: Buffer<ArrayBuffer>, upload: MultipartUpload, partNumber: number) =>
  bytes.subarray((partNumber - 1) * upload.partSize, partNumber * upload.partSize)

/** PUTs the given parts straight to storage and records each ETag, as the browser does; returns the storage PUT count. */
export async function sendParts(user: TestUser, upload: MultipartUpload, bytes: Buffer<ArrayBuffer>, partNumbers: number[], { record = true } = {}) {
  for (const part of await signParts(user, upload.id, partNumbers)) {
    const put = await fetch(part.url, { method: 'PUT', body: partBytes(bytes, upload, part.partNumber) })
    expect(put.status, await put.clone().text()).toBe(200)
    const etag = put.headers.get('etag')
    expect(etag).toBeTruthy()
    if (!record) continue
    const recorded = await api(`/api/uploads/multipart/${upload.id}/parts/${part.partNumber}`, { method: 'PUT', cookie: user.cookie, json: { etag } })
    expect(recorded.status, await recorded.clone().text()).toBe(200)
  }
  return partNumbers.length
}

/** POST /api/uploads/multipart/:id/complete. */
export const completeMultipart = (user: TestUser, id: string) => api(`/api/uploads/multipart/${id}/complete`, { method: 'POST', cookie: user.cookie })

/** A "photo" of `size` bytes: a real PNG's first bytes (so the server's sniff sees a PNG), then filler. */
export function photoBytes(size: number): Buffer<ArrayBuffer> {
  const png = makePng(4, [200, 120, 40])
  return Buffer.concat([png, Buffer.alloc(size - png.length, 0x5A)])
}

/** `size` bytes that sniff as WebP (a RIFF/WEBP header, then filler): what a browser's preview looks like to the server. */
export function webpBytes(size: number): Buffer<ArrayBuffer> {
  const bytes = Buffer.alloc(size, 0x11)
  bytes.write('RIFF', 0, 'ascii')
  bytes.writeUInt32LE(size - 8, 4)
  bytes.write('WEBPVP8L', 8, 'ascii')
  return bytes
}

/** An image upload signed with a preview of `preview.length` bytes (both answer 200); nothing sent yet. */
export async function requestUploadWithPreview(user: TestUser, filename: string, photo: Uint8Array, preview: Uint8Array, contentType = 'image/png') {
  const signed = await requestUpload(user, { filename, contentType, fileSize: photo.length, preview: { contentType: 'image/webp', fileSize: preview.length } })
  expect(signed.preview, 'the answer signs a preview').toBeDefined()
  return signed as SignedGenericUpload & { preview: NonNullable<SignedGenericUpload['preview']> }
}
