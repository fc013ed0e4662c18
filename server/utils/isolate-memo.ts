/**
 * What one isolate remembers between requests: at most `max` entries, the oldest dropped first, each for `ttlMs`.
 * A Map is enough (it keeps insertion order), so no cache library goes into the Worker's bundle.
 */
export function createIsolateMemo<T>({ max, ttlMs = Number.POSITIVE_INFINITY }: { max: number, ttlMs?: number }) {
  const entries = new Map<string, { value: T, until: number }>()
  return {
    get(key: string): T | undefined {
      const entry = entries.get(key)
      if (entry && entry.until > Date.now()) return entry.value
      entries.delete(key)
    },
    set(key: string, value: T): void {
      entries.delete(key)
      if (entries.size >= max) entries.delete(entries.keys().next().value!)
      entries.set(key, { value, until: Date.now() + ttlMs })
    },
    delete: (key: string) => void entries.delete(key),
  }
}
