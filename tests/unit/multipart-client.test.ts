// The browser's upload in parts, without a browser: $fetch, XMLHttpRequest and localStorage are fakes, and the units
// get them injected (or stubbed as globals where the queue creates its own).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { multipartPolicy } from '../../shared/utils/policy'
import { UploadAbortedError } from '../../utils/directUpload'
import { createMultipartApi } from '../../utils/multipartApi'
import { RECORD_BATCH, startMultipartUpload, type MultipartControl } from '../../utils/multipartUpload'
import { createResumeStore } from '../../utils/multipartResumeStore'
import { queueEntry, runUpload, type QueuedUpload, type UploadRunContext } from '../../utils/uploadRunner'

const PART = 10
const noWait = () => Promise.resolve()
const tick = () => new Promise(resolve => setTimeout(resolve, 0))

/** A File as the client reads it; slicing returns a Blob of the right size without allocating the file. */
function fakeFile(parts: number, name = 'big.bin', size = parts * PART) {
  return { name, size, type: 'application/octet-stream', lastModified: 1, slice: (start: number, end: number) => new Blob([new Uint8Array(end - start)]) } as unknown as File
}

class MemoryStorage {
  items = new Map<string, string>()
  get length() { return this.items.size }
  key = (index: number) => [...this.items.keys()][index] ?? null
  getItem = (key: string) => this.items.get(key) ?? null
  setItem = (key: string, value: string) => void this.items.set(key, value)
  removeItem = (key: string) => void this.items.delete(key)
}

/** Storage's answer to one part PUT: by default 200 with an ETag, at the next turn of the event loop. */
type PartAnswer = (xhr: FakeXhr) => void
let answer: PartAnswer
const sent: FakeXhr[] = []

class FakeXhr {
  url = ''
  status = 0
  responseText = ''
  etag: string | null = null
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  aborted = false
  get partNumber() { return Number(this.url.split('/').pop()) }
  open(_method: string, url: string) { this.url = url }
  setRequestHeader() {}
  getResponseHeader(name: string) { return name === 'ETag' ? this.etag : null }
  send() {
    sent.push(this)
    answer(this)
  }

  abort() {
    this.aborted = true
    this.onabort?.()
  }

  respond(status = 200) {
    if (this.aborted) return
    this.status = status
    this.etag = status === 200 ? `"etag-${this.partNumber}"` : null
    this.onload?.()
  }
}
const answerOk: PartAnswer = xhr => void setTimeout(() => xhr.respond(), 0)
const sentParts = () => sent.filter(xhr => !xhr.aborted).map(xhr => xhr.partNumber)

interface Call { url: string, method: string, body?: { parts?: { partNumber: number }[], partNumbers?: number[] } }

/** The multipart API of one upload `up-1` of `parts` parts, as the server answers it. */
function fakeServer(parts: number, earlier?: { recorded: number[] }, partSize = PART, signing: Promise<void> = Promise.resolve()) {
  const calls: Call[] = []
  const fetch = vi.fn(async (url: string, options: { method?: string, body?: Call['body'] } = {}) => {
    const call = { url, method: options.method ?? 'GET', body: options.body }
    calls.push(call)
    await Promise.resolve()
    if (call.method === 'GET' && earlier) return { id: 'up-1', partSize, parts: earlier.recorded.map(partNumber => ({ partNumber, etag: `"etag-${partNumber}"` })) }
    if (call.method === 'GET') throw Object.assign(new Error('Not found'), { statusCode: 404 })
    if (url === '/api/uploads/multipart') return { id: 'up-1', partSize }
    if (url.endsWith('/parts') && call.method === 'POST') await signing
    if (url.endsWith('/parts') && call.method === 'POST') return { parts: call.body!.partNumbers!.map(partNumber => ({ partNumber, url: `https://r2.test/up-1/${partNumber}` })) }
    if (url.endsWith('/complete')) return { id: 'up-1', filename: 'big.bin', size: parts * partSize }
    return { ok: true }
  })
  const records = () => calls.filter(call => call.method === 'PUT').map(call => call.body!.parts!.map(part => part.partNumber))
  return { calls, fetch: fetch as unknown as typeof $fetch, records }
}

const newControl = (): MultipartControl => ({ paused: false, pausing: false, uploadId: null, offer: null, partsSent: 0, pause: () => {}, resume: () => {}, decide: () => {} })

function start(parts: number, server: ReturnType<typeof fakeServer>, storage = new MemoryStorage(), control = newControl(), onProgress = (_fraction: number) => {}) {
  const upload = startMultipartUpload({
    file: fakeFile(parts),
    contentType: 'application/octet-stream',
    control,
    onProgress,
    api: createMultipartApi({ fetch: server.fetch, retry: { wait: noWait } }),
    store: createResumeStore(storage as unknown as Storage),
    wait: noWait,
  })
  return { upload, control, storage }
}

beforeEach(() => {
  sent.length = 0
  answer = answerOk
  vi.stubGlobal('XMLHttpRequest', FakeXhr)
})
afterEach(() => vi.unstubAllGlobals())

describe('multipart upload client', () => {
  it('resumes after a reload: reports the parts kept locally and sends only the missing ones', async () => {
    const storage = new MemoryStorage()
    storage.setItem('gallery.multipart:big.bin:100:1', 'up-1')
    storage.setItem('gallery.multipart-parts:up-1', JSON.stringify({ 3: '"etag-3"' }))
    const server = fakeServer(10, { recorded: [1, 2] })
    const { upload, control } = start(10, server, storage)
    await vi.waitFor(() => expect(control.offer).toEqual({ percent: 30 }))
    control.decide(true)

    await expect(upload.done).resolves.toMatchObject({ uploadId: 'up-1', upload: { id: 'up-1' } })
    expect(sentParts().sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10])
    expect(server.records().flat().sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10])
    expect(server.calls.filter(call => call.url === '/api/uploads/multipart')).toEqual([]) // no new upload
    expect(storage.items.size).toBe(0)
  })

  it('retries a failed part alone', async () => {
    let failures = 0
    answer = xhr => void setTimeout(() => xhr.respond(xhr.partNumber === 2 && failures++ === 0 ? 500 : 200), 0)
    const server = fakeServer(6)
    const { upload, control } = start(6, server)

    await upload.done
    expect(sentParts().filter(partNumber => partNumber === 2)).toHaveLength(2)
    expect(sentParts().filter(partNumber => partNumber !== 2).sort()).toEqual([1, 3, 4, 5, 6])
    expect(control.partsSent).toBe(6)
    // The failed part's URL is signed again for its second attempt.
    expect(server.calls.filter(call => call.method === 'POST' && call.body?.partNumbers?.includes(2))).toHaveLength(2)
  })

  it('pauses (letting the parts in flight finish, reporting the finished ones) and resumes with the rest', async () => {
    answer = () => {} // storage answers when told
    const server = fakeServer(8)
    const progress: number[] = []
    const { upload, control } = start(8, server, undefined, undefined, fraction => progress.push(fraction))
    await vi.waitFor(() => expect(sent).toHaveLength(multipartPolicy.parallelParts))
    sent[0]!.respond()
    await vi.waitFor(() => expect(control.partsSent).toBe(1))

    control.pause()
    const sentBeforePause = sent.length
    expect(control).toMatchObject({ paused: true, pausing: true })
    await vi.waitFor(() => expect(server.records()).toEqual([[1]])) // flushed on pause
    // The parts in flight are not stopped: their bytes are kept and the bar never goes back.
    expect(sent.some(xhr => xhr.aborted)).toBe(false)
    sent.slice(1).forEach(xhr => xhr.respond())
    await vi.waitFor(() => expect(control.pausing).toBe(false))
    expect(control.paused).toBe(true)
    const inFlightAtPause = sent.map(xhr => xhr.partNumber).sort()
    await vi.waitFor(() => expect(server.records().flat().sort()).toEqual(inFlightAtPause)) // reported once settled
    await tick()
    expect(sent).toHaveLength(sentBeforePause) // nothing new while paused
    expect(control.partsSent).toBe(sentBeforePause)

    answer = answerOk
    control.resume()
    await upload.done
    expect(sentParts().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]) // each part exactly once
    expect(sent).toHaveLength(8)
    expect(server.records().flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1]!)).toBe(true)
    expect(progress.at(-1)).toBe(1)
  })

  it('keeps the progress of parts in flight through a pause, and sends with every sender again on resume', async () => {
    answer = () => {}
    const server = fakeServer(12)
    const progress: number[] = []
    const { upload, control } = start(12, server, undefined, undefined, fraction => progress.push(fraction))
    await vi.waitFor(() => expect(sent).toHaveLength(multipartPolicy.parallelParts))
    // Half of each part in flight has reached storage when the person pauses.
    sent.forEach(xhr => xhr.upload.onprogress?.({ loaded: PART / 2 }))
    await vi.waitFor(() => expect(progress.at(-1)).toBeCloseTo((multipartPolicy.parallelParts * PART / 2) / (12 * PART)))
    control.pause()
    await tick()
    expect(progress.at(-1)).toBeCloseTo((multipartPolicy.parallelParts * PART / 2) / (12 * PART))
    // One part finishes while pausing; the others are still on their way when the person resumes.
    sent[0]!.respond()
    await vi.waitFor(() => expect(control.partsSent).toBe(1))
    control.resume()
    expect(control).toMatchObject({ paused: false, pausing: false })
    // The sender that stopped while paused takes a part again: four parts in flight, not three.
    await vi.waitFor(() => expect(sent.filter(xhr => xhr.status === 0)).toHaveLength(multipartPolicy.parallelParts))
    answer = answerOk
    sent.filter(xhr => xhr.status === 0).forEach(xhr => setTimeout(() => xhr.respond(), 0))
    await upload.done
    expect(sent).toHaveLength(12)
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1]!)).toBe(true)
  })

  it('a pause and resume while URLs are being signed loses nothing', async () => {
    let signed!: () => void
    const server = fakeServer(8, undefined, PART, new Promise(resolve => (signed = resolve)))
    const { upload, control } = start(8, server)
    await vi.waitFor(() => expect(server.calls.some(call => call.method === 'POST' && call.url.endsWith('/parts'))).toBe(true))
    control.pause()
    control.resume()
    signed()

    await upload.done
    expect(sentParts().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('cancels: aborts the parts in flight and gives the upload up', async () => {
    answer = () => {}
    const server = fakeServer(8)
    const { upload, storage } = start(8, server)
    await vi.waitFor(() => expect(sent).toHaveLength(multipartPolicy.parallelParts))

    upload.abort()
    await expect(upload.done).rejects.toBeInstanceOf(UploadAbortedError)
    expect(sent.every(xhr => xhr.aborted)).toBe(true)
    expect(server.calls.at(-1)).toMatchObject({ url: '/api/uploads/multipart/up-1', method: 'DELETE' })
    expect(storage.items.size).toBe(0)
  })

  it(`reports finished parts ${RECORD_BATCH} at a time and the rest before completing`, async () => {
    const server = fakeServer(20)
    const { upload } = start(20, server)
    await upload.done

    const records = server.records()
    expect(records.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1))
    expect(records.slice(0, -1).every(batch => batch.length >= RECORD_BATCH)).toBe(true)
    expect(records.length).toBeLessThanOrEqual(Math.ceil(20 / RECORD_BATCH))
    const lastRecord = server.calls.findLastIndex(call => call.method === 'PUT')
    expect(server.calls.findIndex(call => call.url.endsWith('/complete'))).toBeGreaterThan(lastRecord)
  })

  it('keeps finished parts in localStorage until they are reported', async () => {
    answer = () => {}
    const server = fakeServer(10)
    const { storage } = start(10, server)
    await vi.waitFor(() => expect(sent).toHaveLength(multipartPolicy.parallelParts))
    sent[0]!.respond()
    await vi.waitFor(() => expect(storage.getItem('gallery.multipart-parts:up-1')).toBe(JSON.stringify({ 1: '"etag-1"' })))
    expect(storage.getItem('gallery.multipart:big.bin:100:1')).toBe('up-1')
    expect(server.records()).toEqual([])
  })
})

describe('queue entry of a large file', () => {
  const largeFile = (name = 'big.bin') => fakeFile(0, name, multipartPolicy.thresholdBytes)
  const entry = (file: File): QueuedUpload => ({ localId: 1, file, uploadedId: null, signed: null, status: 'signing', progress: 0, error: null, retryable: true })

  function context(fetch: typeof $fetch): UploadRunContext & { committedUploads: unknown[] } {
    const committedUploads: unknown[] = []
    vi.stubGlobal('$fetch', fetch)
    vi.stubGlobal('localStorage', new MemoryStorage())
    return { inFlight: new Map(), cancelRequested: new Set(), fetch, refreshUsage: () => {}, committed: upload => committedUploads.push(upload), committedUploads }
  }

  it('commits with the multipart completion\'s answer, without a second /complete', async () => {
    const server = fakeServer(4, undefined, multipartPolicy.thresholdBytes / 4)
    const item = entry(largeFile())
    const run = context(server.fetch)
    await runUpload(item, run)

    expect(item).toMatchObject({ status: 'done', uploadedId: 'up-1', error: null })
    expect(run.committedUploads).toEqual([{ id: 'up-1', filename: 'big.bin', size: multipartPolicy.thresholdBytes }])
    expect(server.calls.filter(call => call.url.endsWith('/complete')).map(call => call.url)).toEqual(['/api/uploads/multipart/up-1/complete'])
  })

  it.each([
    [413, 'Not enough space: 4.9 GB of 5 GB used.', false],
    // The pending cap passes once other uploads finish: Retry stays, but nothing retries on its own.
    [409, 'You have 20 uploads still in progress (the limit is 20).', true],
  ])('a %i refusal when starting is final: shown, not retried', async (statusCode, message, retryable) => {
    const fetch = vi.fn(async () => {
      throw Object.assign(new Error('refused'), { statusCode, data: { message } })
    }) as unknown as typeof $fetch
    const item = entry(largeFile())
    await runUpload(item, context(fetch))

    expect(item).toMatchObject({ status: 'failed', error: message, retryable })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(sent).toEqual([])
  })
})

describe('a new queue entry', () => {
  it('fails at once when the checks refuse the file, instead of waiting for its turn', () => {
    const refused = queueEntry(1, { name: 'setup.exe', size: 10, type: 'application/x-msdownload' } as File)
    expect(refused).toMatchObject({ status: 'failed', retryable: false, error: expect.stringContaining('Windows program files cannot be uploaded') })
    expect(queueEntry(2, { name: 'empty.txt', size: 0, type: 'text/plain' } as File)).toMatchObject({ status: 'failed', error: 'The file is empty.' })
    expect(queueEntry(3, { name: 'huge.bin', size: multipartPolicy.maxBytes + 1, type: '' } as File)).toMatchObject({ status: 'failed', retryable: false })
    expect(queueEntry(4, { name: 'notes.txt', size: 10, type: 'text/plain' } as File)).toMatchObject({ status: 'waiting', error: null, retryable: true })
  })
})

describe('resume store', () => {
  it('forgets everything about a discarded upload, and nothing about another', () => {
    const storage = new MemoryStorage()
    const store = createResumeStore(storage as unknown as Storage)
    store.remember({ name: 'a.iso', size: 1, lastModified: 1 }, 'up-1')
    store.keepUnrecorded('up-1', new Map([[1, '"etag-1"']]))
    store.remember({ name: 'b.iso', size: 1, lastModified: 1 }, 'up-2')
    store.forgetUpload('up-1')
    expect([...storage.items.keys()]).toEqual(['gallery.multipart:b.iso:1:1'])
  })
})
