// Explicit imports: the unit tests load this file without Nuxt's auto-imports.
import { signedUploadHeaders, type SignedUpload } from '#shared/utils/upload-contract'

export class UploadError extends Error {
  constructor(message: string, readonly status: number, readonly code?: string) {
    super(message)
    this.name = 'UploadError'
  }
}

export class UploadAbortedError extends Error {
  constructor() {
    super('Upload cancelled')
    this.name = 'UploadAbortedError'
  }
}

/** Turns a storage answer into words a person can act on. */
export function describeStorageError(status: number, body: string): UploadError {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1]
  if (status === 0) return new UploadError('Could not reach storage. Check your connection and try again.', status)
  if (code === 'ExpiredRequest' || /expired/i.test(body)) {
    return new UploadError('The upload link expired before the file was sent. Please try again.', status, code)
  }
  if (code === 'SignatureDoesNotMatch') {
    return new UploadError('Storage refused the file because it does not match what was announced (type, size or name). Please pick it again.', status, code)
  }
  if (status === 403) return new UploadError('Storage refused the upload (access denied). Please try again.', status, code)
  if (status === 413 || code === 'EntityTooLarge') return new UploadError('The file is too large for storage.', status, code)
  return new UploadError(`Storage could not save the file (HTTP ${status}${code ? `, ${code}` : ''}). Please try again.`, status, code)
}

export interface DirectUpload {
  done: Promise<{ etag: string | null }>
  abort: () => void
}

/**
 * PUTs the file straight to storage with XMLHttpRequest, which (unlike fetch) reports upload progress. Every URL is
 * write-once: a 412 means this URL already wrote (a retry whose first answer was lost), so the file counts as sent
 * and the server's check that follows (/complete, /confirm) decides.
 */
export function directUpload(signed: SignedUpload, file: Blob, onProgress?: (fraction: number) => void): DirectUpload {
  const xhr = new XMLHttpRequest()
  const done = new Promise<{ etag: string | null }>((resolve, reject) => {
    xhr.open('PUT', signed.presignedUrl)
    for (const [name, value] of Object.entries(signedUploadHeaders(signed))) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => {
      if ((xhr.status >= 200 && xhr.status < 300) || xhr.status === 412) {
        onProgress?.(1)
        resolve({ etag: xhr.getResponseHeader('ETag') })
      }
      else {
        reject(describeStorageError(xhr.status, xhr.responseText))
      }
    }
    xhr.onerror = () => reject(describeStorageError(0, ''))
    xhr.onabort = () => reject(new UploadAbortedError())
    xhr.send(file)
  })
  return { done, abort: () => xhr.abort() }
}

/** PUTs one part of an upload in parts to its pre-signed URL; resolves with the part's ETag. */
export function putPart(url: string, body: Blob, signal: AbortSignal, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UploadAbortedError())
    const xhr = new XMLHttpRequest()
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.open('PUT', url)
    xhr.upload.onprogress = event => onProgress(event.loaded)
    xhr.onload = () => {
      const etag = xhr.getResponseHeader('ETag')
      if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag)
      else reject(describeStorageError(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => reject(describeStorageError(0, ''))
    xhr.onabort = () => reject(new UploadAbortedError())
    xhr.send(body)
  })
}
