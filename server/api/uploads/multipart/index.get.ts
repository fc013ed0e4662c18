export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const { limit } = await readValidatedQuery(event, pendingMultipartListQuerySchema,
    { statusCode: 400, message: `limit must be a whole number from 1 to ${multipartPolicy.maxPendingListed}` })
  return { items: await pendingMultipartUploads(useDB(event), user.id, limit) }
})
