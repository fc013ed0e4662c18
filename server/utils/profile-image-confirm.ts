import type { H3Event } from 'h3'
import { desc, eq } from 'drizzle-orm'

/**
 * After the browser's PUT to the stable key: the object's first bytes must be the image type it was signed as. Bytes
 * that are not were already replaced by a tombstone (readProfileImage); the previous state is put back: with history
 * on, the newest version is copied back onto the key (unless the image had been removed after it was kept); with
 * keepVersions 0 the previous bytes were overwritten by the PUT, so the user is left with no image rather than a
 * broken one. Either way a 422 whose message the page shows.
 */
export async function confirmProfileImage(event: H3Event, userId: string, key: string): Promise<void> {
  const onKey = await readProfileImage(useEnv(event).GALLERY, key)
  if (onKey.image) return
  if (!onKey.rejectedType) throw createError({ statusCode: 404, message: 'No uploaded profile image to confirm' })

  const typeName = FILE_TYPES[onKey.rejectedType]?.name ?? 'image'
  const restored = keptVersions(event) > 0 && await restoreNewestVersion(event, userId, key)
  throw createError({
    statusCode: 422,
    message: restored
      ? `That file is not a real ${typeName}, so it was not used. Your previous image is back.`
      : `That file is not a real ${typeName}, so it was removed.`,
  })
}

async function restoreNewestVersion(event: H3Event, userId: string, key: string): Promise<boolean> {
  const versions = tables.profileImageVersion
  const [newest] = await useDB(event).select().from(versions).where(eq(versions.ownerId, userId)).orderBy(desc(versions.createdAt)).limit(1)
  if (!newest) return false
  // Kept by "Remove image" and not uploaded over since: the state before this upload was no image.
  const deletedAt = await profileImageDeletedAt(useEnv(event).GALLERY, key)
  if (deletedAt !== null && deletedAt >= newest.createdAt.getTime()) return false
  await restoreVersion(event, userId, key, newest)
  return true
}
