// Moving focus when the element holding it is removed (a deleted row, a button that disappears), so it never falls
// back to <body> and a keyboard or screen-reader user keeps their place.

/** The row after `id` among `rows` (the one before, for the last row), read before the row goes; null if alone. */
export function neighbourRowId(rows: Iterable<HTMLElement>, id: string, key = 'uploadId'): string | null {
  const list = [...rows]
  const index = list.findIndex(row => row.dataset[key] === id)
  if (index < 0) return null
  return (list[index + 1] ?? list[index - 1])?.dataset[key] ?? null
}

/** Focuses the first candidate that is in the page; true if one was. */
export function focusFirstOf(...candidates: (Element | null | undefined)[]): boolean {
  const target = candidates.find((candidate): candidate is HTMLElement => candidate instanceof HTMLElement && candidate.isConnected)
  target?.focus()
  return !!target
}
