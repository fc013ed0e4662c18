export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const key = await currentProfileImageKey(event, user)
  // The key stays on the user so the next upload reuses it (one stable key per user, for life).
  if (key) {
    await useEnv(event).GALLERY.delete(key)
    recordPresignEvent(event, { userId: user.id, action: 'delete', key })
  }
  return { hasImage: false as const }
})
