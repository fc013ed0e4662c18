import { and, eq, inArray } from 'drizzle-orm'

/**
 * Download URLs for a page of the caller's uploads in one round trip (the gallery's thumbnails and full-size previews),
 * plus `thumbnailUrl` for the small preview stored beside an image (null without one). Ids that are not the caller's
 * committed uploads (another user's, deleted, unknown) are left out of `items`, never an error.
 */
export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { ids } = await readValidatedJson(event, downloadUrlsRequestSchema)
  await enforceRateLimit(event, 'downloadUrls', user.id)
  const rows = await useDB(event).select().from(tables.upload)
    .where(and(inArray(tables.upload.id, [...new Set(ids)]), eq(tables.upload.ownerId, user.id), eq(tables.upload.status, 'committed')))

  const signer = useSigner(event)
  const items = await Promise.all(rows.map(async upload => ({
    id: upload.id,
    downloadUrl: await signer.presignGet({ key: upload.key, contentDisposition: attachmentDisposition(upload.originalFilename) }),
    thumbnailUrl: upload.previewSize === null ? null : await signer.presignGet({ key: previewKeyOf(upload.key) }),
  })))
  for (const upload of rows) {
    recordPresignEvent(event, { userId: user.id, action: 'get', key: upload.key, filename: upload.originalFilename, incidental: true, contentType: upload.contentType, size: upload.declaredSize })
  }
  return { items, expiresIn: storageConfig.downloadUrlTtlSeconds }
})
