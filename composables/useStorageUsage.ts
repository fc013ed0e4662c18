/** The owner's storage use, shared through the 'uploads-usage' key; a failed read keeps the last figures (the bar is a convenience). */
export function useStorageUsage() {
  const { data: last } = useNuxtData<StorageUsage | null>('uploads-usage')
  const { data, refresh } = useAsyncData('uploads-usage', () => $fetch('/api/uploads/usage').catch(() => last.value ?? null), { server: false })
  return { usage: data, refresh: () => refresh() }
}
