import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { corsRule } from '../../scripts/r2-cors.mjs'
import { signedUploadHeaders, UPLOAD_CONDITION_HEADERS, UPLOAD_METADATA_HEADERS } from '../../shared/utils/upload-contract'

const script = fileURLToPath(new URL('../../scripts/r2-cors.mjs', import.meta.url))
const example = JSON.parse(readFileSync('r2/cors.json', 'utf8')).rules[0]

// Always with --print: a test must never reach Cloudflare.
function printRule(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { BETTER_AUTH_URL: _, ...rest } = process.env
  return spawnSync(process.execPath, [script, '--print', ...args], { env: { ...rest, ...env }, encoding: 'utf8' })
}

describe('npm run r2:cors rule', () => {
  it('allows exactly the site\'s origin, without path, query or default port', () => {
    expect(corsRule({ origin: 'https://gallery.example.com' }).allowed.origins).toEqual(['https://gallery.example.com'])
    expect(corsRule({ origin: 'HTTPS://Gallery.Example.com:443/api/auth?x=1#y' }).allowed.origins).toEqual(['https://gallery.example.com'])
    expect(corsRule({ origin: 'http://localhost:3000/' }).allowed.origins).toEqual(['http://localhost:3000'])
  })

  it.each(['ftp://gallery.example.com', 'javascript:alert(1)', 'gallery.example.com', '*', '', undefined])('rejects %s as an origin', (origin) => {
    expect(() => corsRule({ origin })).toThrow()
  })

  it('allows only PUT, GET and HEAD', () => {
    expect(corsRule({ origin: 'https://gallery.example.com' }).allowed.methods).toEqual(['PUT', 'GET', 'HEAD'])
  })

  it('allows exactly the signed header names, lowercase', () => {
    const { headers } = corsRule({ origin: 'https://gallery.example.com' }).allowed
    expect(headers).toEqual(['content-type', ...Object.values(UPLOAD_METADATA_HEADERS), ...Object.values(UPLOAD_CONDITION_HEADERS)])
    const values = { contentType: 'image/png', uploadedBy: 'u', uploadedAt: 't', originalFilename: 'f' }
    // A new key is sent with If-None-Match, the profile image's stable key with If-Match: the rule allows both.
    const sent = new Set([{ ifNoneMatch: '*' as const }, { ifMatch: 'etag' }]
      .flatMap(condition => Object.keys(signedUploadHeaders(values, condition)).map(name => name.toLowerCase())))
    expect([...headers].sort()).toEqual([...sent].sort())
    expect(headers.every(name => name === name.toLowerCase())).toBe(true)
  })

  it('exposes ETag and keeps the example\'s max age', () => {
    const rule = corsRule({ origin: 'https://gallery.example.com' })
    expect(rule.exposeHeaders).toEqual(['ETag'])
    expect(rule.maxAgeSeconds).toBe(example.maxAgeSeconds)
  })

  it('has no wildcard unless any origin is asked for', () => {
    expect(JSON.stringify(corsRule({ origin: 'https://gallery.example.com' }))).not.toContain('*')
    expect(corsRule({ origin: undefined, anyOrigin: true }).allowed.origins).toEqual(['*'])
  })
})

describe('scripts/r2-cors.mjs --print', () => {
  it('is what npm run r2:cors runs', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts['r2:cors']).toBe('node scripts/r2-cors.mjs')
  })

  it('prints the rule for BETTER_AUTH_URL\'s origin', () => {
    const run = printRule([], { BETTER_AUTH_URL: 'https://gallery.example.com/' })
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ rules: [corsRule({ origin: 'https://gallery.example.com' })] })
  })

  it('prefers --origin, and --any-origin gives the wildcard', () => {
    expect(JSON.parse(printRule(['--origin', 'https://other.example.com'], { BETTER_AUTH_URL: 'https://gallery.example.com' }).stdout).rules[0].allowed.origins)
      .toEqual(['https://other.example.com'])
    expect(JSON.parse(printRule(['--any-origin']).stdout).rules[0].allowed.origins).toEqual(['*'])
  })

  it.each([[[]], [['--origin', 'ftp://gallery.example.com']], [['--origin', 'https://a.example', '--any-origin']]])('refuses %j in one line', (args) => {
    const run = printRule(args)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})
