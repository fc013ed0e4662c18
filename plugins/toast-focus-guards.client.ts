// See utils/toastFocusGuards.ts.
export default defineNuxtPlugin(() => {
  watchToastFocusGuards(document.body)
})
