export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { versions } = await readValidatedQuery(event, profileImageDeleteQuerySchema)
  const key = await currentProfileImageKey(event, user)
  // The key stays on the user so the next upload reuses it (one stable key per user, for life).
  if (key) {
    const bucket = useEnv(event).GALLERY
    const { image } = await readProfileImage(bucket, key)
    // By default the image becomes a version (a restore brings it back) and earlier ones stay; `versions=all` clears all.
    // A copy the database cannot list makes this a 503 that deletes nothing.
    if (versions === 'keep') await keepCurrentImage(event, user.id, key, { mustRecord: true, current: image })
    await deleteProfileImage(bucket, key)
    if (versions === 'all') await deleteAllVersions(useDB(event), bucket, user.id, key)
    recordPresignEvent(event, { userId: user.id, action: 'delete', key })
  }
  return { hasImage: false as const }
})
