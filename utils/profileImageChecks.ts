import { formatBytes } from '#shared/utils/format'
import { fileTypeList, profileImagePolicy } from '#shared/utils/policy'

// Two limits for a profile image: the original only has to be decoded and cropped here, so it may be large; what is
// uploaded (the prepared square) must fit the server's cap.
const megapixels = (pixels: number) => `${Math.round(pixels / 1_000_000)} megapixels`

function typeOrEmptyProblem(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  if (!(profileImagePolicy.contentTypes as readonly string[]).includes(file.type)) return `${file.name} is not a supported image. Use ${fileTypeList(profileImagePolicy.contentTypes)}.`
  if (file.size === 0) return `${file.name} is empty.`
  return null
}

/** Why a chosen original cannot be used, before decoding it: its type, or more bytes than the page decodes. */
export function profileImageSourceProblem(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  const problem = typeOrEmptyProblem(file)
  if (problem) return problem
  const { maxSourceBytes } = profileImagePolicy
  if (file.size > maxSourceBytes) return `${file.name} is ${formatBytes(file.size)}; pictures up to ${formatBytes(maxSourceBytes)} can be used. Choose a smaller picture.`
  return null
}

/** Why a decoded original is too large to crop here, by its pixels. */
export function profileImagePixelProblem(name: string, width: number, height: number): string | null {
  const { maxSourcePixels } = profileImagePolicy
  if (width * height <= maxSourcePixels) return null
  return `${name} is ${width} × ${height} pixels (${megapixels(width * height)}); pictures up to ${megapixels(maxSourcePixels)} can be used. Choose a smaller picture.`
}

/** Why the prepared image (what is actually uploaded) cannot be sent: the server's limit applies to it. */
export function profileImageProblem(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  const problem = typeOrEmptyProblem(file)
  if (problem) return problem
  if (file.size > profileImagePolicy.maxBytes) return `The cropped image is ${formatBytes(file.size)}; the limit is ${formatBytes(profileImagePolicy.maxBytes)}. Crop a smaller area or choose another picture.`
  return null
}
