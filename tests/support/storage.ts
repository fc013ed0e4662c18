import { readFileSync } from 'node:fs'

/** The throwaway keys wrangler dev's local S3 endpoint accepts (declared in wrangler.jsonc, copied into the build). */
export function localS3Credentials(): { accessKeyId: string, secretAccessKey: string } {
  const config = JSON.parse(readFileSync('.output/server/wrangler.json', 'utf8'))
  return config.r2_buckets.find((bucket: { binding: string }) => bucket.binding === 'GALLERY').local_dev.experimental_s3_credentials
}

export interface SignedUploadResponse {
  presignedUrl: string
  key: string
  contentType: string
  fileSize: number
  expiresIn: number
  uploadedBy: string
  uploadedAt: string
  originalFilename: string
}

/** The headers the browser sends: exactly the signed metadata (the same function the app uses). */
export { signedUploadHeaders } from '../../composables/useDirectUpload'
