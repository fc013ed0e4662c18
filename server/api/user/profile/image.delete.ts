export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const key = await currentProfileImageKey(event, user)
  // The key stays on the user so the next upload reuses it (one stable key per user, for life).
  if (key) {
    await deleteProfileImage(useEnv(event).GALLERY, key)
    recordPresignEvent(event, { userId: user.id, action: 'delete', key })
  }
  return { hasImage: false as const }
})
