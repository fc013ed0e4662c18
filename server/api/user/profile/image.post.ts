export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { contentType, fileSize, originalFilename } = await readValidatedJson(event, profileImageRequestSchema)

  // The key is stable, so once the session cache carries it this request needs no SQL at all.
  let key = user.image
  if (!key) {
    key = await assignProfileImageKey(useDB(event), user.id)
    await cacheProfileImageKey(event, key)
  }
  const onKey = await readProfileImage(useEnv(event).GALLERY, key)
  // Before the answer: the URL overwrites the stable key, so the image there now must be kept first.
  await keepCurrentImage(event, user.id, key, { current: onKey.image })
  const filename = normaliseFilename(originalFilename, profileImagePolicy.defaultFilename)
  return signUpload(event, { key, contentType, fileSize, filename, userId: user.id, condition: profileUploadCondition(onKey) })
})
