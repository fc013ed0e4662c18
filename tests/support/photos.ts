import type { Page } from '@playwright/test'

// Stand-ins for phone photos, made by the browser itself (no image library in Node): JPEGs with soft gradients, many
// shapes and per-pixel noise like a sensor's, so they weigh what phone photos weigh (about 5 MB at 12 MP) and scale
// down like them. Seeded, so every run makes the same bytes. Used by the E2E suite and the benchmark.

export interface Photo { name: string, mimeType: string, buffer: Buffer }

/** Photo `seed` as a JPEG of width×height, encoded by the page's canvas. */
async function makePhoto(page: Page, seed: number, width: number, height: number, quality: number): Promise<Buffer> {
  const base64 = await page.evaluate(async ({ seed, width, height, quality }) => {
    let state = seed * 2654435761 % 4294967296 || 1
    const random = () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296
    const canvas = new OffscreenCanvas(width, height)
    const context = canvas.getContext('2d')!
    const sky = context.createLinearGradient(0, 0, width * random(), height)
    sky.addColorStop(0, `hsl(${360 * random()} 60% 70%)`)
    sky.addColorStop(1, `hsl(${360 * random()} 50% 30%)`)
    context.fillStyle = sky
    context.fillRect(0, 0, width, height)
    // A few large shapes and many small ones: detail that survives scaling down to a preview, as a scene's does.
    for (let shape = 0; shape < 400; shape++) {
      const scale = shape < 12 ? 4 : 60
      context.fillStyle = `hsl(${360 * random()} ${40 + 40 * random()}% ${30 + 40 * random()}% / 0.6)`
      context.beginPath()
      context.ellipse(width * random(), height * random(), width * random() / scale, height * random() / scale, random() * Math.PI, 0, 2 * Math.PI)
      context.fill()
    }
    const pixels = context.getImageData(0, 0, width, height)
    for (let index = 0; index < pixels.data.length; index++) {
      if (index % 4 !== 3) pixels.data[index] = pixels.data[index]! + (random() - 0.5) * 48
    }
    context.putImageData(pixels, 0, 0)
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality })).arrayBuffer())
    let binary = ''
    for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000))
    return btoa(binary)
  }, { seed, width, height, quality })
  return Buffer.from(base64, 'base64')
}

/** `count` photos named photo-1.jpg …, made one at a time (each crosses the protocol as a few MB of base64). */
export async function makePhotos(page: Page, count: number, { width = 4032, height = 3024, quality = 0.92 } = {}): Promise<Photo[]> {
  const photos: Photo[] = []
  for (let index = 1; index <= count; index++) {
    photos.push({ name: `photo-${index}.jpg`, mimeType: 'image/jpeg', buffer: await makePhoto(page, index, width, height, quality) })
  }
  return photos
}
