/**
 * Reka's toast region puts an empty "focus proxy" before and after the toasts: aria-hidden yet in the tab order, which
 * axe reports (aria-hidden-focus) and a screen reader can land on as a blank stop. With tabindex -1 they still take
 * the focus the region moves to them from script, and Tab reaches the toasts in document order (the region is last).
 */
export function untabFocusGuards(root: ParentNode): void {
  for (const viewport of root.querySelectorAll('[data-slot="viewport"]')) {
    for (const guard of viewport.parentElement?.querySelectorAll(':scope > [aria-hidden="true"][tabindex="0"]') ?? []) {
      guard.setAttribute('tabindex', '-1')
    }
  }
}

/** Keeps every toast region's focus proxies out of the tab order as they come and go; returns the stop function. */
export function watchToastFocusGuards(root: HTMLElement): () => void {
  untabFocusGuards(root)
  const observer = new MutationObserver(() => untabFocusGuards(root))
  observer.observe(root, { childList: true, subtree: true })
  return () => observer.disconnect()
}
