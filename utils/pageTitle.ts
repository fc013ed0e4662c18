/** "Uploads" → "Uploads · Gallery"; no title → "Gallery". Shared by app.vue and error.vue, which replaces it. */
export function pageTitle(title?: string | null): string {
  return title ? `${title} · Gallery` : 'Gallery'
}
