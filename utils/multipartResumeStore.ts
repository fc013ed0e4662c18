// Explicit imports throughout the multipart units: the unit tests load them without Nuxt's auto-imports.

/** What identifies "the same file" chosen again after a reload. */
export type FileIdentity = Pick<File, 'name' | 'size' | 'lastModified'>

const UPLOAD_KEY_PREFIX = 'gallery.multipart:'
const uploadKey = (file: FileIdentity) => `${UPLOAD_KEY_PREFIX}${file.name}:${file.size}:${file.lastModified}`
/** ETags of an upload's finished parts the server has not recorded yet. */
const unrecordedKey = (uploadId: string) => `gallery.multipart-parts:${uploadId}`

/**
 * What survives a reload of an unfinished upload in parts: which upload a file belongs to, and the ETags of finished
 * parts not reported yet (so a reload loses at most the parts in flight).
 */
export function createResumeStore(storage: Storage = localStorage) {
  return {
    uploadIdOf: (file: FileIdentity) => storage.getItem(uploadKey(file)),
    remember: (file: FileIdentity, uploadId: string) => storage.setItem(uploadKey(file), uploadId),

    /** The kept ETags of parts 1..partCount; anything unreadable counts as nothing kept. */
    unrecorded(uploadId: string, partCount: number): Map<number, string> {
      let kept: unknown
      try {
        kept = JSON.parse(storage.getItem(unrecordedKey(uploadId)) ?? '{}')
      }
      catch {
        return new Map()
      }
      const parts = Object.entries(kept ?? {}).map(([partNumber, etag]) => [Number(partNumber), etag] as const)
        .filter((part): part is [number, string] => Number.isInteger(part[0]) && part[0] >= 1 && part[0] <= partCount && typeof part[1] === 'string')
      return new Map(parts)
    },

    /** Whether the ETags are now kept: false when storage is full or blocked. */
    keepUnrecorded(uploadId: string, parts: ReadonlyMap<number, string>): boolean {
      try {
        if (parts.size === 0) storage.removeItem(unrecordedKey(uploadId))
        else storage.setItem(unrecordedKey(uploadId), JSON.stringify(Object.fromEntries(parts)))
        return true
      }
      catch {
        return false
      }
    },

    forget(file: FileIdentity, uploadId: string) {
      storage.removeItem(uploadKey(file))
      storage.removeItem(unrecordedKey(uploadId))
    },

    /** Everything kept about an upload given up without its file at hand (discarded from the list). */
    forgetUpload(uploadId: string) {
      const keys = Array.from({ length: storage.length }, (_, index) => storage.key(index))
      for (const key of keys) if (key?.startsWith(UPLOAD_KEY_PREFIX) && storage.getItem(key) === uploadId) storage.removeItem(key)
      storage.removeItem(unrecordedKey(uploadId))
    },
  }
}

export type ResumeStore = ReturnType<typeof createResumeStore>
