/** Saves one of the owner's uploads through a short-lived signed URL. */
export async function downloadUpload(id: string) {
  const { downloadUrl, filename } = await $fetch<{ downloadUrl: string, filename: string }>(`/api/uploads/${id}/download-url`)
  // R2 answers with Content-Disposition: attachment. `download` also covers the local endpoint, which is
  // same-origin and ignores response-* overrides: an uploaded HTML file must never render as a page.
  const link = Object.assign(document.createElement('a'), { href: downloadUrl, download: filename, rel: 'noopener' })
  document.body.append(link)
  link.click()
  link.remove()
}
