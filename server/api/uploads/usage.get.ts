export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  return storageUsage(useDB(event), user.id)
})
