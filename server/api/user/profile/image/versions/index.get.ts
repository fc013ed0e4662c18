import { desc, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const versions = tables.profileImageVersion
  const rows = await useDB(event).select().from(versions).where(eq(versions.ownerId, user.id)).orderBy(desc(versions.createdAt))
  // A kept copy can hold what the key holds now (just restored, or kept for an upload that never came): that one is
  // marked current, so the page does not offer to restore the image already shown.
  const key = rows.length > 0 ? await currentProfileImageKey(event, user) : null
  const currentEtag = key ? (await currentProfileImage(useEnv(event).GALLERY, key))?.etag : undefined
  const currentId = rows.find(row => row.sourceEtag === currentEtag)?.id
  const signer = useSigner(event)
  const expiresIn = profileImageConfig.versionUrlTtlSeconds
  const items = await Promise.all(rows.map(async row => ({
    id: row.id,
    current: row.id === currentId,
    filename: row.originalFilename,
    contentType: row.contentType,
    size: row.size,
    createdAt: row.createdAt,
    thumbnailUrl: await signer.presignGet({ key: row.key, expiresIn }),
  })))
  if (rows.length > 0) recordPresignEvent(event, { userId: user.id, action: 'get', key: versionPrefixOf(rows[0]!.key), incidental: true })
  return { items, expiresIn, keepVersions: keptVersions(event) }
})
