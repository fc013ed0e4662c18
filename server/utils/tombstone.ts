import type { R2Bucket, R2Object } from '@cloudflare/workers-types'

// A deleted key keeps a one-byte "tombstone" object until no upload URL signed for it can still be used. Every upload
// URL is signed with a write condition (If-None-Match: * for a new key, If-Match: <etag> for the profile image's
// stable key), so an object on the key, of whatever ETag, makes storage refuse every URL issued before the delete: a
// plain delete would let a write-once URL write again. A download URL issued before reads the tombstone's one byte.
// Not zero bytes: the local bucket fails a ranged read of an empty object, and the profile image is read ranged.

/**
 * `deleted`: an upload deleted by its owner, or cancelled before it was sent. `removed`: the profile image removed by
 * its owner, or bytes that were not the image they claimed to be. `account-deleted`: the account is gone, and every
 * route that would sign for or change this key refuses.
 */
export type TombstoneReason = 'deleted' | 'removed' | 'account-deleted'

const TOMBSTONE = 'tombstone'

export function tombstoneMetadata(reason: TombstoneReason): Record<string, string> {
  return { [TOMBSTONE]: reason }
}

export const TOMBSTONE_BODY = '\n'

export function putTombstone(bucket: R2Bucket, key: string, reason: TombstoneReason): Promise<R2Object | null> {
  return bucket.put(key, TOMBSTONE_BODY, { customMetadata: tombstoneMetadata(reason) })
}

/** Why the object is a tombstone, or null when it is a real object. */
export function tombstoneReason(object: Pick<R2Object, 'customMetadata'> | null | undefined): TombstoneReason | null {
  return (object?.customMetadata?.[TOMBSTONE] as TombstoneReason | undefined) ?? null
}

export const ACCOUNT_GONE = { statusCode: 401, message: 'This account no longer exists' }
