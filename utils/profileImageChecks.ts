/** A message when the file cannot be a profile image, checked before anything is sent. */
export function profileImageProblem(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  if (!(profileImagePolicy.contentTypes as readonly string[]).includes(file.type)) return `${file.name} is not a supported image. Use ${fileTypeList(profileImagePolicy.contentTypes)}.`
  if (file.size === 0) return `${file.name} is empty.`
  if (file.size > profileImagePolicy.maxBytes) return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(profileImagePolicy.maxBytes)}.`
  return null
}
