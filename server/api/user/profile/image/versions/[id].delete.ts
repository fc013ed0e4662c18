export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, profileImageVersionParamsSchema, VERSION_NOT_FOUND)
  const db = useDB(event)
  const version = await findVersion(db, user.id, id)
  await deleteVersion(db, useEnv(event).GALLERY, version)
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: version.key, filename: version.originalFilename, contentType: version.contentType, size: version.size })
  return { id, deleted: true }
})
