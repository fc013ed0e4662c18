/** What happened, in words: "Uploaded résumé.pdf", "Downloaded photo.png", "Changed profile image". */
export function describeActivity(item: ActivityItem): string {
  const name = item.filename ?? 'a file'
  if (item.subject === 'profile') {
    return { put: 'Changed profile image', get: 'Viewed profile image', delete: 'Removed profile image' }[item.action]
  }
  if (item.subject === 'earlier-profile-image') return `Deleted earlier profile image ${name}`
  if (item.action === 'put') return item.unfinished ? `Started uploading ${name}` : `Uploaded ${name}`
  return item.action === 'get' ? `Downloaded ${name}` : `Deleted ${name}`
}
