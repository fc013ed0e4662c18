import { describe, expect, it } from 'vitest'
import { IMAGE_SNIFF_BYTES, imageBytesMatch, sniffImageType, SNIFFABLE_IMAGE_TYPES } from '../../server/utils/image-sniff'
import { FILE_TYPES, profileImagePolicy } from '../../shared/utils/policy'
import { makePng } from '../support/png'

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap(part => typeof part === 'string' ? [...new TextEncoder().encode(part)] : part))

// Minimal real-world headers: the first bytes each encoder writes.
const JPEG_JFIF = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
const JPEG_EXIF = bytes([0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x16], 'Exif', [0, 0])
const GIF89 = bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0])
const GIF87 = bytes('GIF87a', [1, 0, 1, 0, 0, 0, 0])
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', [0x18, 0, 0, 0])
// ftyp box of 0x1c bytes: major brand avif, minor version 0, compatible brands avif mif1 miaf.
const AVIF = bytes([0, 0, 0, 0x1C], 'ftypavif', [0, 0, 0, 0], 'avifmif1miaf')
// libavif writes major brand "avif"; some encoders put avif only among the compatible brands.
const AVIF_COMPATIBLE = bytes([0, 0, 0, 0x18], 'ftypmif1', [0, 0, 0, 0], 'miafavif')
const HEIC = bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic')
const MP4 = bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2')

describe('sniffImageType', () => {
  it('recognises a real PNG', () => {
    expect(sniffImageType(makePng(4, [255, 0, 0]))).toBe('image/png')
  })

  it.each([
    ['JPEG (JFIF)', JPEG_JFIF, 'image/jpeg'],
    ['JPEG (Exif)', JPEG_EXIF, 'image/jpeg'],
    ['GIF89a', GIF89, 'image/gif'],
    ['GIF87a', GIF87, 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
    ['AVIF (major brand)', AVIF, 'image/avif'],
    ['AVIF (compatible brand)', AVIF_COMPATIBLE, 'image/avif'],
  ])('recognises %s', (_, header, type) => {
    expect(sniffImageType(header)).toBe(type)
  })

  it.each([
    ['a bare root', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['an XML declaration and comment', '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<svg width="1">'],
    ['a doctype', '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg>'],
    ['a BOM and leading whitespace', '\uFEFF  \n<SVG viewBox="0 0 1 1">'],
  ])('recognises SVG text with %s', (_, text) => {
    expect(sniffImageType(bytes(text))).toBe('image/svg+xml')
  })

  it('can verify every image type the app accepts', () => {
    const accepted = new Set([...profileImagePolicy.contentTypes, ...Object.keys(FILE_TYPES).filter(type => type.startsWith('image/'))])
    expect([...accepted].sort()).toEqual([...SNIFFABLE_IMAGE_TYPES].sort())
  })

  it.each([
    ['empty', new Uint8Array()],
    ['plain text', bytes('hello, this is not an image\n')],
    ['a renamed text file', bytes('notes: buy milk')],
    ['JSON', bytes('{"png": true}')],
    ['an HTML page with an inline svg', bytes('<!doctype html><html><body><svg></svg></body></html>')],
    ['a word starting with svg', bytes('<svgfoo>')],
    ['an SVG whose root lies beyond the sniff window', bytes(`<!-- ${'x'.repeat(IMAGE_SNIFF_BYTES)} --><svg>`)],
    ['a PDF', bytes('%PDF-1.7\n')],
    ['a ZIP', bytes('PK', [3, 4, 20, 0])],
    ['a truncated PNG signature', makePng(2, [0, 0, 0]).subarray(0, 7)],
    ['a truncated JPEG signature', JPEG_JFIF.subarray(0, 2)],
    ['a truncated GIF signature', GIF89.subarray(0, 5)],
    ['a truncated WebP header', WEBP.subarray(0, 11)],
    ['a RIFF that is not WebP (WAV)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['HEIC (not accepted)', HEIC],
    ['an MP4', MP4],
    ['a PNG signature not at the start', bytes([0], [...makePng(2, [0, 0, 0]).subarray(0, 16)])],
  ])('returns null for %s', (_, input) => {
    expect(sniffImageType(input)).toBeNull()
  })
})

describe('imageBytesMatch', () => {
  it('matches only the declared type', () => {
    expect(imageBytesMatch('image/png', makePng(2, [0, 0, 0]))).toBe(true)
    expect(imageBytesMatch('image/jpeg', makePng(2, [0, 0, 0]))).toBe(false)
    expect(imageBytesMatch('image/png', bytes('not a png'))).toBe(false)
    expect(imageBytesMatch('image/heic', HEIC)).toBe(false)
  })
})
