// Marks the document once Vue has hydrated, so forms are known to be interactive (E2E waits on it).
export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.hook('app:suspense:resolve', () => {
    document.documentElement.dataset.hydrated = 'true'
  })
})
