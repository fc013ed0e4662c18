/** The "Previous images" strip: earlier profile images, restore and delete. A restore refreshes the avatar. */
export function useProfileImageHistory() {
  const { user } = useAuth()
  const { load: loadAvatar } = useProfileImage()
  // Shared: the strip fills it, the "Remove image" dialog reads whether history is on.
  const versions = useState<ProfileImageVersion[]>(`profile-image-versions:${user.value?.id ?? 'guest'}`, () => [])
  const keepVersions = useState<number | null>(`profile-image-keep-versions:${user.value?.id ?? 'guest'}`, () => null)
  const loaded = computed(() => keepVersions.value !== null)
  const busy = ref<string | null>(null)

  async function load() {
    const list = await $fetch('/api/user/profile/image/versions')
    versions.value = list.items
    keepVersions.value = list.keepVersions
  }

  async function act(id: string, request: () => Promise<unknown>) {
    busy.value = id
    try {
      await request()
      await load()
    }
    finally {
      busy.value = null
    }
  }

  const restore = (id: string) => act(id, async () => {
    await $fetch(`/api/user/profile/image/versions/${id}/restore`, { method: 'POST' })
    await loadAvatar({ force: true })
  })
  const remove = (id: string) => act(id, () => $fetch(`/api/user/profile/image/versions/${id}`, { method: 'DELETE' }))

  return { versions, keepVersions: readonly(keepVersions), loaded, busy, load, restore, remove }
}
