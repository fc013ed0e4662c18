// Pages that need a session: guests go to /login, then come back.
export default defineNuxtRouteMiddleware(async (to) => {
  const { user, ensureLoaded } = useAuth()
  await ensureLoaded()
  if (!user.value) return navigateTo({ path: '/login', query: { redirect: to.fullPath } })
})
