import { describe, expect, it } from 'vitest'
import { arrowMove, centredSquare, clampMove, CROP_KEY_STEP, drawnImageBounds, insideImage } from '../../utils/cropArea'

const key = (key: string, modifiers: Partial<Record<'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}) =>
  ({ key, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...modifiers })

describe('the crop square by keyboard', () => {
  it('moves 10 px per arrow press, 1 px with Shift, and ignores other keys', () => {
    expect(CROP_KEY_STEP).toBe(10)
    expect(arrowMove(key('ArrowLeft'))).toEqual([-10, 0])
    expect(arrowMove(key('ArrowDown'))).toEqual([0, 10])
    expect(arrowMove(key('ArrowRight', { shiftKey: true }))).toEqual([1, 0])
    expect(arrowMove(key('ArrowUp', { shiftKey: true }))).toEqual([0, -1])
    expect(arrowMove(key('a'))).toBeNull()
    expect(arrowMove(key('ArrowLeft', { ctrlKey: true }))).toBeNull()
  })

  it('stops at the image edge instead of refusing the whole step', () => {
    const image = { x: 50, y: 0, width: 200, height: 100 }
    const square = { x: 55, y: 0, width: 100, height: 100 }
    expect(clampMove(square, image, -10, 0)).toEqual({ x: 50, y: 0 })
    expect(clampMove(square, image, 10, 10)).toEqual({ x: 65, y: 0 })
    expect(clampMove({ ...square, x: 145 }, image, 10, 0)).toEqual({ x: 150, y: 0 })
  })
})

describe('the crop square inside the drawn image', () => {
  it('finds the image in the canvas from its transform and centres the largest square in it', () => {
    const bounds = drawnImageBounds({ naturalWidth: 400, naturalHeight: 200 }, [0.5, 0, 0, 0.5, 10, 20])
    expect(bounds).toEqual({ x: 110, y: 70, width: 200, height: 100, scale: 0.5 })
    expect(centredSquare(bounds)).toEqual({ x: 160, y: 70, width: 100, height: 100 })
  })

  it('accepts a square within half a pixel of the edges and refuses one beyond, or an empty one', () => {
    const image = { x: 0, y: 0, width: 100, height: 100 }
    expect(insideImage({ x: -0.4, y: 0, width: 100.4, height: 50 }, image)).toBe(true)
    expect(insideImage({ x: -1, y: 0, width: 50, height: 50 }, image)).toBe(false)
    expect(insideImage({ x: 60, y: 0, width: 50, height: 50 }, image)).toBe(false)
    expect(insideImage({ x: 10, y: 10, width: 0, height: 0 }, image)).toBe(false)
  })
})
