import type { ShallowRef } from 'vue'

/**
 * Where focus goes on /uploads when the control holding it goes away (else it falls to <body>): after a delete, the
 * same button on the neighbouring file, or the list's heading once none is left; after "Load more", the first newly
 * shown file (the button itself while it was loading, if nothing came); after "Clear finished", the rest of the queue
 * or the file picker.
 */
export function useUploadsFocus(page: Readonly<ShallowRef<HTMLElement | null>>) {
  const find = (selector: string) => page.value?.querySelector<HTMLElement>(selector)
  const rows = () => [...page.value?.querySelectorAll<HTMLElement>('[data-upload-id]') ?? []]

  async function removed(id: string, remove: () => void) {
    const neighbour = neighbourRowId(rows(), id)
    remove()
    await nextTick()
    const row = neighbour ? find(`[data-upload-id="${CSS.escape(neighbour)}"]`) : null
    focusFirstOf(row?.querySelector('button[aria-label^="Delete "]'), find('[data-focus="files-heading"]'))
  }

  async function loadedMore(shownBefore: number) {
    await nextTick()
    focusFirstOf(rows()[shownBefore]?.querySelector('button, a[href]'), find('[data-focus="load-more"]'), find('[data-focus="files-heading"]'))
  }

  async function clearedQueue(clear: () => void) {
    clear()
    await nextTick()
    focusFirstOf(find('[data-focus="upload-queue"]'), find('input[type="file"]'))
  }

  return { removed, loadedMore, clearedQueue }
}
