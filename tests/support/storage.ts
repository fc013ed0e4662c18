/** The throwaway keys wrangler dev's local S3 endpoint accepts (declared in wrangler.jsonc, copied into the build). */
export { localS3Credentials } from '../../scripts/local-storage-credentials.mjs'

/** The upload contract exactly as the app uses it: the headers the browser sends and the signed answer's type. */
export { signedUploadHeaders, uploadMetadata, type SignedGenericUpload, type SignedPreview, type SignedUpload } from '../../shared/utils/upload-contract'
