export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, profileImageVersionParamsSchema, VERSION_NOT_FOUND)
  const version = await findVersion(useDB(event), user.id, id)
  const key = await currentProfileImageKey(event, user)
  if (!key) throw createError(VERSION_NOT_FOUND)
  await restoreVersion(event, user.id, key, version)
  recordPresignEvent(event, { userId: user.id, action: 'put', key, filename: version.originalFilename, contentType: version.contentType, size: version.size })
  return { id, restored: true }
})
