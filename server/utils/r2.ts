import { createError, type H3Event } from 'h3'
import { AwsV4Signer } from 'aws4fetch'
import { conditionHeader, type UploadCondition } from '../../shared/utils/upload-contract'
import { storageConfig } from './config'

// The only module that knows how R2's S3 API is signed. Routes call presignPut / presignGet.

export interface PresignPutInput {
  key: string
  contentType: string
  contentLength: number
  /** x-amz-meta-* values, keyed without the prefix; each must already be a valid ISO-8859-1 header value. */
  metadata: Record<string, string>
  /** Signed, so the URL can write its key once (see UPLOAD_CONDITION_HEADERS). */
  condition?: UploadCondition
  expiresIn?: number
}

export interface PresignGetInput {
  key: string
  expiresIn?: number
  /** Sets response-content-disposition, e.g. `attachment` to force a download. */
  contentDisposition?: string
}

export interface CopyObjectInput {
  source: string
  destination: string
  /** New content type and x-amz-meta-* values for the copy (metadata directive REPLACE); without it the source's are kept. */
  replaceMetadata?: { contentType: string, metadata: Record<string, string> }
}

export interface PresignUploadPartInput {
  key: string
  multipartId: string
  partNumber: number
  /** Signed, so storage refuses a part of any other size. */
  contentLength: number
  expiresIn?: number
}

export interface Signer {
  presignPut(input: PresignPutInput): Promise<string>
  presignUploadPart(input: PresignUploadPartInput): Promise<string>
  presignGet(input: PresignGetInput): Promise<string>
  /**
   * CopyObject inside storage (no byte passes through the Worker); throws a 502 when storage refuses. Resolves to the
   * copy's ETag (unquoted, as R2Object.etag): what was written, even if the key changes again right after.
   */
  copyObject(input: CopyObjectInput): Promise<{ etag: string }>
}

export interface SignerOptions {
  accessKeyId: string
  secretAccessKey: string
  /** S3 API origin + path prefix, without the bucket: `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: string
  bucket: string
}

export function checkTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > storageConfig.maxUrlTtlSeconds) {
    throw new RangeError(`URL lifetime must be an integer in 1..${storageConfig.maxUrlTtlSeconds} seconds, got ${seconds}`)
  }
  return seconds
}

const signingKeyCache = new Map<string, ArrayBuffer>()

export function createSigner({ accessKeyId, secretAccessKey, endpoint, bucket }: SignerOptions): Signer {
  // Segment by segment: a version key (`<key>/v/<id>`) keeps its slashes, as S3 paths do.
  const objectPath = (key: string) => `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`
  const bareObjectUrl = (key: string) => new URL(`${endpoint.replace(/\/+$/, '')}${objectPath(key)}`)
  const objectUrl = (key: string, expiresIn: number) => {
    const url = bareObjectUrl(key)
    // In the query before signing: as a header it breaks, and absent aws4fetch would default to 86400.
    url.searchParams.set('X-Amz-Expires', String(checkTtl(expiresIn)))
    return url
  }
  const sign = async (method: 'GET' | 'PUT', url: URL, headers: Record<string, string> = {}) => {
    const signer = new AwsV4Signer({
      method, url: url.toString(), headers, accessKeyId, secretAccessKey,
      service: 's3', region: 'auto', signQuery: true, cache: signingKeyCache,
      // Without allHeaders aws4fetch silently leaves content-type and content-length unsigned.
      allHeaders: true,
    })
    return (await signer.sign()).url.toString()
  }

  return {
    async presignPut({ key, contentType, contentLength, metadata, condition, expiresIn = storageConfig.uploadUrlTtlSeconds }) {
      const headers: Record<string, string> = {
        'content-type': contentType,
        // Signed so storage rejects a body of any other size; the browser sets it itself from the body.
        'content-length': String(contentLength),
      }
      for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name}`] = value
      if (condition) {
        const [name, value] = conditionHeader(condition)
        headers[name.toLowerCase()] = value
      }
      return sign('PUT', objectUrl(key, expiresIn), headers)
    },
    async presignUploadPart({ key, multipartId, partNumber, contentLength, expiresIn = storageConfig.uploadUrlTtlSeconds }) {
      const url = objectUrl(key, expiresIn)
      url.searchParams.set('partNumber', String(partNumber))
      url.searchParams.set('uploadId', multipartId)
      return sign('PUT', url, { 'content-length': String(contentLength) })
    },
    async presignGet({ key, expiresIn = storageConfig.downloadUrlTtlSeconds, contentDisposition }) {
      const url = objectUrl(key, expiresIn)
      if (contentDisposition) url.searchParams.set('response-content-disposition', contentDisposition)
      return sign('GET', url)
    },
    async copyObject({ source, destination, replaceMetadata }) {
      const headers: Record<string, string> = { 'x-amz-copy-source': objectPath(source) }
      if (replaceMetadata) {
        headers['x-amz-metadata-directive'] = 'REPLACE'
        headers['content-type'] = replaceMetadata.contentType
        for (const [name, value] of Object.entries(replaceMetadata.metadata)) headers[`x-amz-meta-${name}`] = value
      }
      const signer = new AwsV4Signer({
        method: 'PUT', url: bareObjectUrl(destination).toString(), headers, accessKeyId, secretAccessKey,
        service: 's3', region: 'auto', cache: signingKeyCache, allHeaders: true,
      })
      const signed = await signer.sign()
      const response = await fetch(signed.url, { method: 'PUT', headers: signed.headers })
      const answer = await response.text()
      // S3 may answer 200 with an <Error> body when a copy fails after it started.
      if (!response.ok || answer.includes('<Error>')) {
        const code = /<Code>([^<]+)<\/Code>/.exec(answer)?.[1] ?? String(response.status)
        throw createError({ statusCode: 502, message: `Storage could not copy the image (${code})` })
      }
      const etag = /<ETag>([^<]+)<\/ETag>/.exec(answer)?.[1]?.replaceAll('&quot;', '').replaceAll('"', '')
      if (!etag) throw createError({ statusCode: 502, message: 'Storage did not confirm the copy' })
      return { etag }
    },
  }
}

/** Where URLs are signed for: R2's S3 API, or an override (a path means this worker's own origin, as locally). */
function signingEndpoint(event: H3Event): string | undefined {
  const env = useEnv(event)
  if (env.R2_S3_ENDPOINT) return new URL(env.R2_S3_ENDPOINT, getRequestURL(event).origin).toString()
  return env.CLOUDFLARE_ACCOUNT_ID ? `https://${env.CLOUDFLARE_ACCOUNT_ID}.r2.cloudflarestorage.com` : undefined
}

/** The origin browsers upload to and download from (for the CSP). */
export function storageOrigin(event: H3Event): string | undefined {
  const endpoint = signingEndpoint(event)
  return endpoint ? new URL(endpoint).origin : undefined
}

export function useSigner(event: H3Event): Signer {
  const env = useEnv(event)
  const endpoint = signingEndpoint(event)
  if (!env.R2_ACCESS_KEY_ID || !env.R2_SECRET_ACCESS_KEY || !endpoint) {
    throw createError({ statusCode: 503, message: 'Storage signing is not configured on this server' })
  }
  return createSigner({
    accessKeyId: env.R2_ACCESS_KEY_ID,
    secretAccessKey: env.R2_SECRET_ACCESS_KEY,
    endpoint,
    bucket: storageConfig.bucket,
  })
}
