import { localS3Credentials } from '../../scripts/local-storage-credentials.mjs'
import type { GalleryEnv } from '../utils/env'

// `nuxt dev` only (added by the `nitro:config` hook in nuxt.config.ts when Nitro builds for dev). Nitro's cloudflare-dev emulation runs the
// bindings in a Miniflare instance (wrangler's getPlatformProxy), and that instance already serves GALLERY's
// S3 API at /cdn-cgi/local/r2/s3, from r2_buckets[].local_dev.experimental_s3_credentials in wrangler.jsonc.
// This plugin signs for that endpoint with the throwaway keys (scripts/local-storage-credentials.mjs) and the path
// /cdn-cgi/local/r2/s3 on the dev server's own origin, which ./local-s3-forward.ts relays to Miniflare.
// Uploads therefore land in the very storage the GALLERY binding reads: one instance, one workerd process.

type SigningVars = Pick<GalleryEnv, 'R2_ACCESS_KEY_ID' | 'R2_SECRET_ACCESS_KEY' | 'R2_S3_ENDPOINT'>

function localSigningVars(configPath: string | undefined): SigningVars | undefined {
  try {
    const { accessKeyId, secretAccessKey } = localS3Credentials(configPath)
    return { R2_ACCESS_KEY_ID: accessKeyId, R2_SECRET_ACCESS_KEY: secretAccessKey, R2_S3_ENDPOINT: '/cdn-cgi/local/r2/s3' }
  }
  catch (error) {
    console.warn(`[local-s3] ${error instanceof Error ? error.message : error}: direct uploads are off`)
  }
}

export default defineNitroPlugin((nitroApp) => {
  let vars: SigningVars | undefined | null = null
  // Runs after the cloudflare-dev plugin's request hook, which puts the platform proxy's env on the event.
  nitroApp.hooks.hook('request', async (event) => {
    const cloudflare = event.context.cloudflare
    const env = cloudflare?.env
    // A real endpoint and keys in .dev.vars win.
    if (!cloudflare || !env?.GALLERY || env.R2_S3_ENDPOINT) return
    if (vars === null) vars = localSigningVars((useRuntimeConfig().wrangler as { configPath?: string } | undefined)?.configPath)
    if (vars) cloudflare.env = { ...env, ...vars }
  })
})
