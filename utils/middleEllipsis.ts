/**
 * A long file name shortened in the middle, keeping its start and its end (where camera and export names differ:
 * `video-2024-05-01-0012.mp4`), for places that wrap the name instead of cutting its end off. Short names are whole.
 */
export function middleEllipsis(name: string, max = 60, keepEnd = 24): string {
  const chars = [...name]
  if (chars.length <= max) return name
  return `${chars.slice(0, max - keepEnd - 1).join('')}…${chars.slice(-keepEnd).join('')}`
}
