import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rateLimitConfig } from '../../server/utils/config'

const wrangler = readFileSync('wrangler.jsonc', 'utf8')

describe('rate limit bindings', () => {
  it.each([rateLimitConfig.uploadUrls, rateLimitConfig.downloadUrls, rateLimitConfig.changes, rateLimitConfig.lists, rateLimitConfig.multipartParts])('$binding in wrangler.jsonc matches the config', ({ binding, limit, periodSeconds }) => {
    const declared = new RegExp(`"name": "${binding}"[^}]*"simple": \\{ "limit": (\\d+), "period": (\\d+) \\}`).exec(wrangler)
    expect(declared, `${binding} is not declared in wrangler.jsonc`).not.toBeNull()
    expect([Number(declared![1]), Number(declared![2])]).toEqual([limit, periodSeconds])
  })
})
