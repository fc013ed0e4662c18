import { eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { filename: rawFilename, contentType, fileSize } = await readValidatedJson(event, multipartUploadRequestSchema)

  const db = useDB(event)
  const filename = normaliseFilename(rawFilename, uploadPolicy.fallbackExtension)
  const row = {
    id: crypto.randomUUID(),
    ownerId: user.id,
    key: `${crypto.randomUUID()}.${extensionFor(contentType, filename)}`,
    originalFilename: filename,
    contentType,
    declaredSize: fileSize,
    expiresAt: new Date(Date.now() + storageConfig.uploadUrlTtlSeconds * 1000),
  }
  await reserveUpload(db, row)
  // The object's type and owner metadata are fixed here, server-side, and checked again at completion.
  const metadata = uploadMetadata({ originalFilename: encodeMetadataValue(filename), uploadedBy: user.id, uploadedAt: new Date().toISOString() })
  const created = await useEnv(event).GALLERY.createMultipartUpload(row.key, { httpMetadata: { contentType }, customMetadata: metadata })
    .catch(async (error: unknown) => {
      await db.delete(tables.upload).where(eq(tables.upload.id, row.id))
      throw error
    })
  const [upload] = await db.update(tables.upload).set({ multipartId: created.uploadId, partSize: multipartPartSize(fileSize) })
    .where(eq(tables.upload.id, row.id)).returning()
  recordPresignEvent(event, { userId: user.id, action: 'put', key: row.key, contentType, size: fileSize })
  return multipartView(upload as MultipartUploadRow)
})
