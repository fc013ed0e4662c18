interface Hidden { timer: ReturnType<typeof setTimeout>, toastId: string | number }

/**
 * Delete with undo: the file leaves the list at once, a toast offers Undo, and the DELETE is sent only when the undo
 * window closes. Leaving the page inside the window cancels the delete (the file stays).
 */
export function useUndoableDelete(options: {
  hide: (item: UploadView) => () => void
  commit: (id: string) => Promise<void>
}) {
  const toast = useToast()
  const hidden = new Map<string, Hidden>()

  function remove(item: UploadView) {
    if (hidden.has(item.id)) return
    const restore = options.hide(item)
    const undo = () => {
      const entry = hidden.get(item.id)
      if (!entry) return
      clearTimeout(entry.timer)
      hidden.delete(item.id)
      restore()
    }
    const { id: toastId } = toast.add({
      title: `${item.filename} deleted`,
      color: 'neutral',
      icon: 'i-lucide-trash-2',
      // Its bar shows the window; the timer below decides (a toast's own countdown pauses while hovered).
      duration: uploadPolicy.undoDeleteMs,
      actions: [{ label: 'Undo', icon: 'i-lucide-undo-2', color: 'neutral', variant: 'outline', onClick: undo }],
    })
    const timer = setTimeout(async () => {
      hidden.delete(item.id)
      toast.remove(toastId)
      try {
        await options.commit(item.id)
      }
      catch (error) {
        restore()
        toast.add({ title: `Could not delete ${item.filename}`, description: apiErrorMessage(error), color: 'error' })
      }
    }, uploadPolicy.undoDeleteMs)
    hidden.set(item.id, { timer, toastId })
  }

  onBeforeUnmount(() => {
    for (const [id, { timer, toastId }] of hidden) {
      clearTimeout(timer)
      toast.remove(toastId)
      hidden.delete(id)
    }
  })

  return { remove }
}
