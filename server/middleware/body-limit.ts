// Every API body is small JSON: a larger one is refused from its Content-Length, before anyone parses it
// (readValidatedJson also measures a body sent without one).
export default defineEventHandler((event) => {
  if (event.path.startsWith('/api/') && declaredBodyTooLarge(event)) throw createError(BODY_TOO_LARGE)
})
