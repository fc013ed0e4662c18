import { desc, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const versions = tables.profileImageVersion
  const rows = await useDB(event).select().from(versions).where(eq(versions.ownerId, user.id)).orderBy(desc(versions.createdAt))
  const signer = useSigner(event)
  const expiresIn = profileImageConfig.versionUrlTtlSeconds
  const items = await Promise.all(rows.map(async row => ({
    id: row.id,
    filename: row.originalFilename,
    contentType: row.contentType,
    size: row.size,
    createdAt: row.createdAt,
    thumbnailUrl: await signer.presignGet({ key: row.key, expiresIn }),
  })))
  if (rows.length > 0) recordPresignEvent(event, { userId: user.id, action: 'get', key: versionPrefixOf(rows[0]!.key), incidental: true })
  return { items, expiresIn, keepVersions: keptVersions(event) }
})
