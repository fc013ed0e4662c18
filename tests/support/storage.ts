import { readFileSync } from 'node:fs'

/** The throwaway keys wrangler dev's local S3 endpoint accepts (declared in wrangler.jsonc, copied into the build). */
export function localS3Credentials(): { accessKeyId: string, secretAccessKey: string } {
  const config = JSON.parse(readFileSync('.output/server/wrangler.json', 'utf8'))
  return config.r2_buckets.find((bucket: { binding: string }) => bucket.binding === 'GALLERY').local_dev.experimental_s3_credentials
}

/** The upload contract exactly as the app uses it: the headers the browser sends and the signed answer's type. */
export { signedUploadHeaders, uploadMetadata, type SignedGenericUpload, type SignedUpload } from '../../shared/utils/upload-contract'
