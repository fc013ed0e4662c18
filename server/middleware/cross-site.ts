// A state-changing API call must come from the site's own pages: cookies ride along on a sibling subdomain's or
// another site's request, and restore, confirm and the completes take no body a content-type check could stop.
export default defineEventHandler((event) => {
  if (isStateChangingApiRequest(event) && isCrossSite(event)) {
    throw createError({ statusCode: 403, message: 'Cross-site requests are not allowed' })
  }
})
