export interface ActivityRow {
  action: 'put' | 'get' | 'delete'
  key: string
  filename: string | null
  size: number | null
  createdAt: Date
  /** The key is the person's profile image (it never changes, so this holds for every row of it). */
  profile: boolean
  /** The key is one of the person's earlier profile images (`<profile key>/v/<id>`). */
  earlierProfileImage: boolean
  /** The generic upload's status, when the key is one; null for the profile image or a row already cleaned up. */
  uploadStatus: string | null
}

export interface ActivityEntry {
  action: ActivityRow['action']
  subject: 'profile' | 'earlier-profile-image' | 'file'
  key: string
  filename: string | null
  size: number | null
  /** Consecutive identical events collapse into one entry ("Downloaded photo.png ×3"). */
  count: number
  /** The newest of the collapsed events. */
  createdAt: string
  /** An upload link issued for a file that never reached storage (yet). */
  unfinished: boolean
}

/**
 * What the person did, newest first, from audit rows (newest first). The profile page signs a fresh link to show the
 * avatar on every visit: while the last one shown is still valid (`freshForMs`) another adds nothing, since the person
 * did nothing new. Downloads of files are each a click, so they count.
 */
export function summariseActivity(rows: ActivityRow[], { freshForMs, limit }: { freshForMs: number, limit: number }): ActivityEntry[] {
  const lastShownView = new Map<string, number>()
  const kept = [...rows].reverse().filter((row) => {
    if (row.action !== 'get' || !row.profile) return true
    const last = lastShownView.get(row.key)
    if (last !== undefined && row.createdAt.getTime() - last < freshForMs) return false
    lastShownView.set(row.key, row.createdAt.getTime())
    return true
  }).reverse()

  const entries: ActivityEntry[] = []
  for (const row of kept) {
    const previous = entries.at(-1)
    if (previous && previous.action === row.action && previous.key === row.key) {
      previous.count++
      continue
    }
    if (entries.length === limit) break
    entries.push({
      action: row.action,
      subject: row.profile ? 'profile' : row.earlierProfileImage ? 'earlier-profile-image' : 'file',
      key: row.key,
      filename: row.filename,
      size: row.size,
      count: 1,
      createdAt: row.createdAt.toISOString(),
      unfinished: row.action === 'put' && row.uploadStatus === 'pending',
    })
  }
  return entries
}
