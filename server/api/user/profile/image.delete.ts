export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  // The key stays on the user so the next upload reuses it (one stable key per user, for life).
  if (user.image) {
    await useEnv(event).GALLERY.delete(user.image)
    recordPresignEvent(event, { userId: user.id, action: 'delete', key: user.image })
  }
  return { hasImage: false as const }
})
