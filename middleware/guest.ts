// /login and /signup: signed-in users have nothing to do there.
export default defineNuxtRouteMiddleware(async () => {
  const { user, ensureLoaded } = useAuth()
  await ensureLoaded()
  if (user.value) return navigateTo('/profile')
})
