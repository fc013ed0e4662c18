const MAX_PARALLEL_UPLOADS = 3

/** The files being uploaded on this page: a queue run a few at a time, with cancel, retry and dismiss. */
export function useUploadQueue(options: { committed: (upload: UploadView) => void }) {
  const queue = ref<QueuedUpload[]>([])
  const { refresh: refreshUsage } = useStorageUsage()
  const notifyActivityChanged = useNotifyActivity()
  const context: UploadRunContext = {
    inFlight: new Map(),
    cancelRequested: new Set(),
    fetch: $fetch,
    refreshUsage,
    committed: (upload) => {
      notifyActivityChanged()
      void refreshUsage()
      options.committed(upload)
    },
  }
  let localIds = 0
  const entry = (localId: number) => queue.value.find(candidate => candidate.localId === localId)

  const draining = { current: null as Promise<void> | null }
  const drain = () => drainQueue(queue, context, draining)

  return {
    queue,
    /** Anything still to be sent or verified: leaving the page now would lose it. */
    busy: computed(() => queue.value.some(item => ['waiting', 'signing', 'uploading', 'verifying'].includes(item.status))),
    add(files: Iterable<File>) {
      for (const file of files) queue.value.push(queueEntry(++localIds, file))
      return drain()
    },
    retry(localId: number) {
      const item = entry(localId)
      if (!item || !item.retryable || (item.status !== 'failed' && item.status !== 'cancelled')) return
      item.status = 'waiting'
      return drain()
    },
    cancel(localId: number) {
      const item = entry(localId)
      if (item?.status === 'waiting') item.status = 'cancelled'
      context.cancelRequested.add(localId)
      context.inFlight.get(localId)?.abort()
    },
    dismiss(localId: number) {
      const item = entry(localId)
      queue.value = queue.value.filter(candidate => candidate.localId !== localId)
      // A failed upload dismissed for good: nothing will complete it, so its reservation goes too.
      if (item?.status === 'failed') void releaseReservation(item, context)
    },
    /** Uploaded and cancelled rows go; failures stay to be read, retried or dismissed. */
    clearFinished() {
      queue.value = queue.value.filter(item => item.status !== 'done' && item.status !== 'cancelled')
    },
  }
}

/** Runs the waiting entries, at most a few at a time, however often files are added (one run per queue at a time). */
function drainQueue(queue: Ref<QueuedUpload[]>, context: UploadRunContext, running: { current: Promise<void> | null }): Promise<void> {
  running.current ??= Promise.all(Array.from({ length: MAX_PARALLEL_UPLOADS }, async () => {
    let next: QueuedUpload | undefined
    while ((next = queue.value.find(candidate => candidate.status === 'waiting'))) {
      next.status = 'signing'
      await runUpload(next, context)
    }
  })).then(() => void (running.current = null))
  return running.current
}
