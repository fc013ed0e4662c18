import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { auditConfig, rateLimitConfig, uploadsConfig } from '../../server/utils/config'
import { workerConfig, writeWranglerConfig } from '../../server/worker-config'

// What the Worker runs with is wrangler.jsonc merged with server/worker-config.ts (built from config.ts): the code's
// numbers and names are the bindings' own, and wrangler.jsonc never repeats one.
const dir = mkdtempSync(join(tmpdir(), 'gallery-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('rate limit bindings', () => {
  it.each([rateLimitConfig.uploadUrls, rateLimitConfig.downloadUrls, rateLimitConfig.changes, rateLimitConfig.lists, rateLimitConfig.multipartParts])('$binding in the Worker config matches the config', ({ binding, limit, periodSeconds }) => {
    const declared = workerConfig.ratelimits.find(limiter => limiter.name === binding)
    expect(declared, `${binding} is not declared in the Worker config`).toBeDefined()
    expect([declared!.simple.limit, declared!.simple.period]).toEqual([limit, periodSeconds])
  })

  it('have namespaces of their own', () => {
    const namespaces = workerConfig.ratelimits.map(limiter => limiter.namespace_id)
    expect(new Set(namespaces).size).toBe(namespaces.length)
  })
})

describe('cleanup cron', () => {
  it('is the same in config and in the Worker config', () => {
    expect(workerConfig.triggers.crons).toEqual([uploadsConfig.cleanupCron])
  })
})

describe('the Worker config', () => {
  it('declares the audit queues the consumer tells apart, with the dead-letter queue behind the first', () => {
    expect(workerConfig.queues.consumers.map(consumer => consumer.queue)).toEqual([auditConfig.queue, auditConfig.deadLetterQueue])
    expect(workerConfig.queues.consumers[0]!.dead_letter_queue).toBe(auditConfig.deadLetterQueue)
  })

  it('leaves cron, rate limits and queues out of wrangler.jsonc', () => {
    const wrangler = readFileSync('wrangler.jsonc', 'utf8')
    for (const key of Object.keys(workerConfig)) expect(wrangler, key).not.toContain(`"${key}"`)
  })

  it('is written whole for what reads it before a build (nuxt dev, wrangler types)', () => {
    const config = join(dir, 'wrangler.json')
    writeWranglerConfig(config)
    const parsed = JSON.parse(readFileSync(config, 'utf8'))
    expect(parsed.r2_buckets[0].binding).toBe('GALLERY')
    expect(parsed.hyperdrive[0].binding).toBe('HYPERDRIVE')
    expect(parsed.ratelimits).toEqual(workerConfig.ratelimits)
    expect(parsed.queues).toEqual(workerConfig.queues)
  }, 60_000) // loading wrangler takes seconds on a busy machine
})
