import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIsolateMemo } from '../../server/utils/isolate-memo'

describe('isolate memo', () => {
  afterEach(() => vi.useRealTimers())

  it('answers what was set until it is deleted', () => {
    const memo = createIsolateMemo<string>({ max: 10 })
    expect(memo.get('a')).toBeUndefined()
    memo.set('a', 'one')
    memo.set('a', 'two')
    expect(memo.get('a')).toBe('two')
    memo.delete('a')
    expect(memo.get('a')).toBeUndefined()
  })

  it('forgets an entry once its time is up, not before', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const memo = createIsolateMemo<string>({ max: 10, ttlMs: 1000 })
    memo.set('a', 'one')
    vi.advanceTimersByTime(999)
    expect(memo.get('a')).toBe('one')
    vi.advanceTimersByTime(1)
    expect(memo.get('a')).toBeUndefined()
  })

  it('holds at most max entries, dropping the one set longest ago', () => {
    const memo = createIsolateMemo<number>({ max: 3 })
    for (const key of ['a', 'b', 'c']) memo.set(key, 1)
    memo.set('a', 2) // set again: now the newest
    memo.set('d', 1)
    expect(['a', 'b', 'c', 'd'].map(key => memo.get(key))).toEqual([2, undefined, 1, 1])
  })
})
