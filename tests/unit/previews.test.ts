import { describe, expect, it } from 'vitest'
import { previewMismatch } from '../../server/utils/previews'
import { previewPolicy, wantsPreview } from '../../shared/utils/policy'
import { multipartUploadRequestSchema, uploadRequestSchema } from '../../shared/utils/schemas'
import { previewKeyOf, type SignedPreview } from '../../shared/utils/upload-contract'
import { firstFittingPreview, previewDimensions, previewRequest, putPreview } from '../../utils/imagePreview'

const webp = (size: number) => new Blob([new Uint8Array(size)], { type: 'image/webp' })

describe('previewKeyOf', () => {
  it('puts the preview beside the object, under a key no upload can have', () => {
    expect(previewKeyOf('0b9a3d4e-7c1f-4f7e-9a51-2f0c8d6e1a22.jpg')).toBe('0b9a3d4e-7c1f-4f7e-9a51-2f0c8d6e1a22.jpg.preview.webp')
    // Upload keys are <uuid>.<ext> with one dot.
    expect(previewKeyOf('a.png').split('.')).toHaveLength(4)
  })
})

describe('wantsPreview', () => {
  it('is for images the grid shows, larger than a preview may be', () => {
    expect(wantsPreview('image/jpeg', previewPolicy.maxBytes + 1)).toBe(true)
    expect(wantsPreview('image/jpeg', previewPolicy.maxBytes)).toBe(false)
    expect(wantsPreview('image/svg+xml', 10 * previewPolicy.maxBytes)).toBe(false)
    expect(wantsPreview('video/mp4', 10 * previewPolicy.maxBytes)).toBe(false)
  })
})

describe('previewDimensions', () => {
  it.each([
    [4032, 3024, { width: 320, height: 240 }],
    [3024, 4032, { width: 240, height: 320 }],
    [320, 100, { width: 320, height: 100 }],
    [64, 48, { width: 64, height: 48 }],
    [10_000, 5, { width: 320, height: 1 }],
    [0, 0, { width: 1, height: 1 }],
  ])('%i×%i → %j (longest side ≤ 320, never scaled up)', (width, height, expected) => {
    expect(previewDimensions(width, height)).toEqual(expected)
  })
})

describe('firstFittingPreview', () => {
  it('lowers the quality until the preview fits the cap', async () => {
    const tried: number[] = []
    const blob = await firstFittingPreview(async (quality) => {
      tried.push(quality)
      return webp(quality > 0.5 ? previewPolicy.maxBytes + 1 : 1000)
    })
    expect(blob?.size).toBe(1000)
    expect(tried).toEqual([0.8, 0.6, 0.4])
  })

  it('gives none when nothing fits or the browser cannot encode WebP', async () => {
    expect(await firstFittingPreview(async () => webp(previewPolicy.maxBytes + 1))).toBeNull()
    expect(await firstFittingPreview(async () => new Blob([new Uint8Array(10)], { type: 'image/png' }))).toBeNull()
    expect(await firstFittingPreview(async () => null)).toBeNull()
  })
})

describe('putPreview', () => {
  const signed: SignedPreview = { presignedUrl: 'https://storage.test/k.preview.webp?sig', key: 'k.preview.webp', contentType: 'image/webp', fileSize: 5, expiresIn: 86400, headers: { 'Content-Type': 'image/webp', 'If-None-Match': '*' } }

  it('sends exactly the signed headers, and takes 412 as already stored', async () => {
    const calls: [string, RequestInit | undefined][] = []
    const put = (async (url: string, init?: RequestInit) => {
      calls.push([url, init])
      return new Response(null, { status: calls.length === 1 ? 200 : 412 })
    }) as typeof fetch
    expect(await putPreview(signed, webp(5), put)).toBe(true)
    expect(await putPreview(signed, webp(5), put)).toBe(true)
    expect(calls[0]![0]).toBe(signed.presignedUrl)
    expect(calls[0]![1]).toMatchObject({ method: 'PUT', headers: signed.headers })
  })

  it('never throws: a refusal, a network failure or nothing to send is just no preview', async () => {
    expect(await putPreview(signed, webp(5), (async () => new Response(null, { status: 403 })) as typeof fetch)).toBe(false)
    expect(await putPreview(signed, webp(5), (async () => Promise.reject(new TypeError('offline'))) as typeof fetch)).toBe(false)
    expect(await putPreview(undefined, webp(5))).toBe(false)
    expect(await putPreview(signed, null)).toBe(false)
  })

  it('announces the Blob in the request', () => {
    expect(previewRequest(webp(42))).toEqual({ contentType: 'image/webp', fileSize: 42 })
    expect(previewRequest(null)).toBeUndefined()
  })
})

describe('previewMismatch', () => {
  const good = { size: 1000, httpMetadata: { contentType: 'image/webp' }, customMetadata: { 'uploaded-by': 'u1' } }
  it('accepts only a WebP within the cap uploaded by the owner', () => {
    expect(previewMismatch(good, 'u1')).toBeNull()
    expect(previewMismatch({ ...good, httpMetadata: { contentType: 'text/html' } }, 'u1')).toMatch(/WebP/)
    expect(previewMismatch({ ...good, size: previewPolicy.maxBytes + 1 }, 'u1')).toMatch(/size/)
    expect(previewMismatch(good, 'u2')).toMatch(/owner/)
  })
})

describe('upload request schemas with a preview', () => {
  const photo = { filename: 'p.jpg', contentType: 'image/jpeg', fileSize: 5_000_000 }
  it('accept a WebP preview within the cap, and none', () => {
    expect(uploadRequestSchema.safeParse(photo).success).toBe(true)
    expect(uploadRequestSchema.parse({ ...photo, preview: { contentType: 'image/webp', fileSize: 20_000 } }).preview).toEqual({ contentType: 'image/webp', fileSize: 20_000 })
    expect(multipartUploadRequestSchema.safeParse({ ...photo, fileSize: 200_000_000, preview: { contentType: 'image/webp', fileSize: 1 } }).success).toBe(true)
  })

  it.each([
    [{ ...photo, preview: { contentType: 'image/webp', fileSize: previewPolicy.maxBytes + 1 } }, 'preview.fileSize'],
    [{ ...photo, preview: { contentType: 'image/jpeg', fileSize: 10 } }, 'preview.contentType'],
    [{ ...photo, contentType: 'application/pdf', preview: { contentType: 'image/webp', fileSize: 10 } }, 'preview'],
  ])('refuse %j naming %s', (body, field) => {
    for (const schema of [uploadRequestSchema, multipartUploadRequestSchema]) {
      const result = schema.safeParse(body)
      expect(result.success).toBe(false)
      expect(result.error!.issues[0]!.path.join('.')).toBe(field)
    }
  })
})
