export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const key = await currentProfileImageKey(event, user)
  if (!key) throw createError({ statusCode: 404, message: 'No uploaded profile image to confirm' })
  await confirmProfileImage(event, user.id, key)
  return { confirmed: true as const }
})
