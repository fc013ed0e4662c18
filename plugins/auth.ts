// The header depends on the session: load it before the first render, on the server too, so the page the server
// sends is the page the client hydrates (on the client the state arrives in the payload, no second request).
export default defineNuxtPlugin(async () => {
  await useAuth().ensureLoaded()
})
