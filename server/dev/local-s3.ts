import type { GalleryEnv } from '../utils/env'

// `nuxt dev` only (registered under $development in nuxt.config.ts). Nitro's cloudflare-dev emulation runs the
// bindings in a Miniflare instance (wrangler's getPlatformProxy), and that instance already serves GALLERY's
// S3 API at /cdn-cgi/local/r2/s3, from r2_buckets[].local_dev.experimental_s3_credentials in wrangler.jsonc.
// This plugin signs for that endpoint the way `npm start` does: the throwaway keys from wrangler.jsonc and the path
// /cdn-cgi/local/r2/s3 on the dev server's own origin, which ./local-s3-forward.ts relays to Miniflare.
// Uploads therefore land in the very storage the GALLERY binding reads: one instance, one workerd process.

type SigningVars = Pick<GalleryEnv, 'R2_ACCESS_KEY_ID' | 'R2_SECRET_ACCESS_KEY' | 'R2_S3_ENDPOINT'>
interface Bucket { binding: string, local_dev?: { experimental_s3_credentials?: { accessKeyId: string, secretAccessKey: string } } }

async function localSigningVars(configPath: string | undefined): Promise<SigningVars | undefined> {
  const wrangler = 'wrangler' // loaded from node_modules at run time, not bundled (as Nitro's own dev plugin does)
  const { experimental_readRawConfig } = await import(wrangler) as typeof import('wrangler')
  const { rawConfig } = experimental_readRawConfig({ config: configPath })
  const credentials = (rawConfig.r2_buckets as Bucket[] | undefined)
    ?.find(bucket => bucket.binding === 'GALLERY')?.local_dev?.experimental_s3_credentials
  if (!credentials) {
    console.warn('[local-s3] GALLERY has no local_dev.experimental_s3_credentials: direct uploads are off')
    return undefined
  }
  return { R2_ACCESS_KEY_ID: credentials.accessKeyId, R2_SECRET_ACCESS_KEY: credentials.secretAccessKey, R2_S3_ENDPOINT: '/cdn-cgi/local/r2/s3' }
}

export default defineNitroPlugin((nitroApp) => {
  let vars: Promise<SigningVars | undefined> | undefined
  // Runs after the cloudflare-dev plugin's request hook, which puts the platform proxy's env on the event.
  nitroApp.hooks.hook('request', async (event) => {
    const cloudflare = event.context.cloudflare
    const env = cloudflare?.env as Partial<GalleryEnv> | undefined
    // A real endpoint and keys in .dev.vars win.
    if (!cloudflare || !env?.GALLERY || env.R2_S3_ENDPOINT) return
    const local = await (vars ??= localSigningVars((useRuntimeConfig().wrangler as { configPath?: string } | undefined)?.configPath))
    if (local) cloudflare.env = { ...env, ...local }
  })
})
