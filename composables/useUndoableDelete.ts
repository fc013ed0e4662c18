interface Pending { toastId: string | number, commit: () => Promise<void>, shown: boolean }

/**
 * Delete with undo: the file leaves the list at once, a toast offers Undo, and the DELETE is sent only once the toast
 * is gone. The toast's own timer decides, and Reka pauses it while the toast is hovered or holds the focus (or the
 * window is in the background), so nobody loses the file while reaching for Undo (WCAG 2.2.1). Closing the toast any
 * other way (its ×, Escape, a swipe, pushed out by newer toasts) confirms the delete; leaving the page cancels it.
 */
export function useUndoableDelete(options: {
  hide: (item: UploadView) => () => void
  commit: (id: string) => Promise<void>
}) {
  const toast = useToast()
  const pending = new Map<string, Pending>()

  function remove(item: UploadView) {
    if (pending.has(item.id)) return
    const restore = options.hide(item)
    const undo = () => {
      if (pending.delete(item.id)) restore()
    }
    const commit = async () => {
      if (!pending.delete(item.id)) return
      try {
        await options.commit(item.id)
      }
      catch (error) {
        restore()
        toast.add({ title: `Could not delete ${item.filename}`, description: apiErrorMessage(error), color: 'error' })
      }
    }
    const { id: toastId } = toast.add({
      title: `${item.filename} deleted`,
      color: 'neutral',
      icon: 'i-lucide-trash-2',
      duration: uploadPolicy.undoDeleteMs,
      actions: [{ label: 'Undo', icon: 'i-lucide-undo-2', color: 'neutral', variant: 'outline', onClick: undo }],
    })
    pending.set(item.id, { toastId, commit, shown: false })
  }

  // A toast joins the list a tick after add() and leaves it once closed: leaving is what commits.
  watch(() => toast.toasts.value.map(shown => shown.id), (ids) => {
    for (const entry of pending.values()) {
      if (ids.includes(entry.toastId)) entry.shown = true
      else if (entry.shown) void entry.commit()
    }
  })

  onBeforeUnmount(() => {
    const toastIds = [...pending.values()].map(entry => entry.toastId)
    pending.clear()
    for (const toastId of toastIds) toast.remove(toastId)
  })

  return { remove }
}
