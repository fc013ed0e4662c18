import type { R2Bucket } from '@cloudflare/workers-types'
import { describe, expect, it } from 'vitest'
import { readProfileImage } from '../../server/utils/profile-image'
import { tombstoneMetadata } from '../../server/utils/tombstone'
import { makePng } from '../support/png'

interface Stored { bytes: Uint8Array, contentType: string, customMetadata: Record<string, string>, version: string, etag: string }

/** A bucket as the binding answers: every write a new version; records which calls reached it. */
function fakeBucket() {
  const objects = new Map<string, Stored>()
  const calls: string[] = []
  let writes = 0
  const view = (key: string, stored: Stored) => ({
    key, version: stored.version, etag: stored.etag, size: stored.bytes.length, uploaded: new Date(),
    httpMetadata: { contentType: stored.contentType }, customMetadata: stored.customMetadata,
  })
  const write = (key: string, bytes: Uint8Array, contentType: string, customMetadata: Record<string, string> = {}) => {
    writes++
    objects.set(key, { bytes, contentType, customMetadata, version: `v${writes}`, etag: `e${writes}` })
    return view(key, objects.get(key)!)
  }
  const bucket = {
    async head(key: string) {
      calls.push('head')
      const stored = objects.get(key)
      return stored ? view(key, stored) : null
    },
    async get(key: string, options: { range: { offset: number, length: number } }) {
      calls.push('get')
      const stored = objects.get(key)
      if (!stored) return null
      const bytes = Uint8Array.prototype.slice.call(stored.bytes, options.range.offset, options.range.offset + options.range.length)
      return { ...view(key, stored), arrayBuffer: async () => bytes.buffer }
    },
    async put(key: string, body: string, options: { customMetadata: Record<string, string>, onlyIf?: { etagMatches: string } }) {
      calls.push('put')
      if (options.onlyIf && objects.get(key)?.etag !== options.onlyIf.etagMatches) return null
      return write(key, new TextEncoder().encode(body), 'application/octet-stream', options.customMetadata)
    },
  }
  return { bucket: bucket as unknown as R2Bucket, calls, write }
}

const png = makePng(2, [1, 2, 3])
let keys = 0
const nextKey = () => `profile-${++keys}`

describe('readProfileImage', () => {
  it('reads the first bytes of a version once; the same version again costs a HEAD only', async () => {
    const { bucket, calls, write } = fakeBucket()
    const key = nextKey()
    write(key, png, 'image/png')
    expect((await readProfileImage(bucket, key)).image?.version).toBe('v1')
    expect(calls).toEqual(['get'])
    expect((await readProfileImage(bucket, key)).image?.version).toBe('v1')
    expect(calls).toEqual(['get', 'head'])
  })

  it('a new version on the key is sniffed again: bytes that are not the signed type are never taken for the image', async () => {
    const { bucket, calls, write } = fakeBucket()
    const key = nextKey()
    write(key, png, 'image/png')
    await readProfileImage(bucket, key)
    write(key, new TextEncoder().encode('<html>not a png</html>'), 'image/png')
    const onKey = await readProfileImage(bucket, key)
    expect(onKey.image).toBeNull()
    expect(onKey.rejectedType).toBe('image/png')
    expect(calls).toEqual(['get', 'head', 'get', 'put'])
    // The tombstone that replaced them reads as one, from its metadata.
    expect((await readProfileImage(bucket, key)).stored?.customMetadata).toEqual(tombstoneMetadata('removed'))
  })

  it('sees a tombstone or an empty key put there since, without reading bytes', async () => {
    const { bucket, calls, write } = fakeBucket()
    const key = nextKey()
    write(key, png, 'image/png')
    await readProfileImage(bucket, key)
    write(key, new TextEncoder().encode('\n'), 'application/octet-stream', tombstoneMetadata('removed'))
    expect(await readProfileImage(bucket, key)).toMatchObject({ image: null, rejectedType: null, stored: { version: 'v2' } })
    expect(calls).toEqual(['get', 'head'])
    write(key, png, 'image/png')
    expect((await readProfileImage(bucket, key)).image?.version).toBe('v3')
    await expect(readProfileImage(fakeBucket().bucket, key)).resolves.toEqual({ stored: null, image: null, rejectedType: null })
  })

  it('refuses an account-deleted key from its metadata as from its bytes', async () => {
    const { bucket, write } = fakeBucket()
    const key = nextKey()
    write(key, png, 'image/png')
    await readProfileImage(bucket, key)
    write(key, new TextEncoder().encode('\n'), 'application/octet-stream', tombstoneMetadata('account-deleted'))
    await expect(readProfileImage(bucket, key)).rejects.toMatchObject({ statusCode: 401 })
  })
})
