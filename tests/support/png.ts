import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'

// Small but valid PNGs, distinguishable by size and colour, so tests can tell image A from image B.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let crc = 0xFFFFFFFF
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xFF]! ^ (crc >>> 8)
  return (crc ^ 0xFFFFFFFF) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

export function makePng(size: number, [r, g, b]: [number, number, number]): Buffer<ArrayBuffer> {
  const row = Buffer.alloc(size * 3).map((_, i) => [r, g, b][i % 3]!)
  return encodePng(size, size, Buffer.concat(Array.from({ length: size }, () => row)))
}

/** A width × height PNG whose left half is `left` and right half `right`: shows where a crop was taken. */
export function makeTwoColourPng(width: number, height: number, left: [number, number, number], right: [number, number, number]): Buffer<ArrayBuffer> {
  const row = Buffer.alloc(width * 3).map((_, i) => (Math.floor(i / 3) < width / 2 ? left : right)[i % 3]!)
  return encodePng(width, height, Buffer.concat(Array.from({ length: height }, () => row)))
}

/** 8-bit RGB pixels, row by row, as a PNG. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer<ArrayBuffer> {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const stride = width * 3
  const pixels = Buffer.concat(Array.from({ length: height }, (_, y) => [Buffer.from([0]), rgb.subarray(y * stride, (y + 1) * stride)]).flat())
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A width × height PNG of random pixels (deflate cannot shrink them): a file about as large as its pixels, like a photo. */
export function makeNoisyPng(width: number, height: number): Buffer<ArrayBuffer> {
  return encodePng(width, height, randomBytes(width * height * 3))
}
