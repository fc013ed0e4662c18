// Object metadata travels as x-amz-meta-* headers, which browsers only send as ISO-8859-1. Filenames are therefore
// percent-encoded (UTF-8) before signing; the encoded value is what is signed, returned and sent.

/** The last path segment, trimmed and NFC-normalised; the fallback when nothing is left. */
export function normaliseFilename(raw: string | undefined, fallback: string): string {
  const name = (raw ?? '').split(/[\\/]/).pop()!.normalize('NFC').trim()
  return name || fallback
}

export function encodeMetadataValue(value: string): string {
  return encodeURIComponent(value)
}

export function decodeMetadataValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return decodeURIComponent(value)
  }
  catch {
    return value
  }
}
