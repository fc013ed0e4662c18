export default defineEventHandler(async (event) => {
  const response = await useBetterAuth(event).handler(toWebRequest(event))
  // Better Auth turns some failed queries into answers of its own (500, 422 on sign-up, "no session"): once the
  // database went away during the request, any error answer means it is unavailable.
  const lost = databaseLostDuring(event)
  if (!response.ok && lost) throw databaseUnavailableError(lost)
  return withStatusCode(response)
})
