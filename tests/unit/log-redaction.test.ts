import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { createError } from 'h3'
import { authLogLine, describeForLog, redactError, redactText } from '../../server/utils/log-redaction'

const TOKEN = 'GWzPkjPpkkGTsHQr0CV3O2cKka69eyVE'
const EMAIL = 'someone.else+tag@example.co.uk'
const SESSION_QUERY = 'select "id", "token" from "session" where "session"."token" = $1'

/** What a failed session lookup looks like once Drizzle has wrapped the driver's error. */
function failedLookup() {
  const driver = Object.assign(new Error('duplicate key value violates unique constraint "user_email_unique"'), {
    code: '23505', detail: `Key (email)=(${EMAIL}) already exists.`, where: `SQL statement with ${EMAIL}`, constraint: 'user_email_unique',
  })
  return new DrizzleQueryError(SESSION_QUERY, [TOKEN, EMAIL, 42], driver)
}

const printed = (value: unknown) => `${inspect(value, { depth: 10 })}\n${String((value as Error).stack)}`

describe('redactText', () => {
  it('drops the parameters Drizzle appends to a failed query, however many lines they take', () => {
    expect(redactText(`Failed query: ${SESSION_QUERY}\nparams: ${TOKEN},two\nlines`)).toBe(`Failed query: ${SESSION_QUERY}\nparams: [redacted]`)
  })

  it('keeps a stack\'s frames after the parameters', () => {
    const stack = `DrizzleQueryError: Failed query: x\nparams: ${TOKEN}\n    at NodePgPreparedQuery.queryWithCache (session.js:41:15)`
    expect(redactText(stack)).toBe('DrizzleQueryError: Failed query: x\nparams: [redacted]\n    at NodePgPreparedQuery.queryWithCache (session.js:41:15)')
  })

  it('replaces anything email-shaped', () => {
    expect(redactText(`Sign-up attempt for existing email: ${EMAIL}`)).toBe('Sign-up attempt for existing email: [email]')
  })

  it('keeps only the path of a signed URL', () => {
    const url = 'http://localhost:8787/cdn-cgi/local/r2/s3/gallery/k.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Signature=abc123'
    expect(redactText(`GET ${url} 200`)).toBe('GET http://localhost:8787/cdn-cgi/local/r2/s3/gallery/k.png?[signed] 200')
  })

  it('leaves ordinary text alone', () => {
    expect(redactText('The database is unavailable right now.')).toBe('The database is unavailable right now.')
  })
})

describe('redactError', () => {
  it('leaves no parameter or email anywhere in the printed error or its causes', () => {
    const error = failedLookup()
    expect(printed(error)).toContain(TOKEN)
    redactError(error)
    const text = printed(error)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(EMAIL)
    expect(text).toContain('[redacted]')
    // What explains the failure stays: the query's shape, the SQLSTATE and the constraint.
    expect(text).toContain(SESSION_QUERY)
    expect(text).toContain('23505')
    expect(text).toContain('user_email_unique')
  })

  it('reaches errors wrapped by an H3 error and inside an AggregateError', () => {
    const inner = Object.assign(new Error(`connect ECONNREFUSED for ${EMAIL}`), { detail: TOKEN })
    const outer = Object.assign(new Error('wrapper', { cause: new AggregateError([inner], 'all failed') }), { statusCode: 500 })
    redactError(outer)
    expect(printed(outer)).not.toContain(EMAIL)
    expect(printed(outer)).not.toContain(TOKEN)
    expect(outer.statusCode).toBe(500)
  })

  it('reaches a Drizzle error h3 wrapped, whose stack it made a read-only getter', () => {
    const KEY = '5f0c2a8e-9d1b-4c3e-8f7a-1b2c3d4e5f60.txt'
    const FILENAME = 'jane.roe@private-mail.example.txt'
    const USER_ID = 'Zq3uYt7Vb9Lm2Np4Rs6Tw8Xy'
    const driver = Object.assign(new Error('new row for relation "upload" violates check constraint'), { code: '23514' })
    const failed = new DrizzleQueryError('select * from reserve_upload($1, $2, $3)', [USER_ID, KEY, FILENAME], driver)
    // What h3 does to any non-H3 error a handler throws.
    const wrapped = createError(failed)
    expect(printed(wrapped)).toContain(KEY)
    redactError(wrapped)
    const text = printed(wrapped)
    for (const value of [USER_ID, KEY, FILENAME, 'private-mail']) expect(text).not.toContain(value)
    expect(text).toContain('params: [redacted]')
    expect(text).toContain('reserve_upload')
  })

  it('stops at a cycle and ignores what is not an object', () => {
    const a = new Error(`a ${EMAIL}`)
    const b = new Error('b', { cause: a })
    a.cause = b
    redactError(b)
    expect(a.message).toBe('a [email]')
    expect(() => redactError('text')).not.toThrow()
    expect(() => redactError(null)).not.toThrow()
  })
})

describe('authLogLine', () => {
  it('writes one JSON line without the raw arguments', () => {
    const line = authLogLine('error', 'INTERNAL_SERVER_ERROR', [failedLookup(), { email: EMAIL, token: TOKEN }])
    expect(line).not.toContain('\n')
    expect(line).not.toContain(TOKEN)
    expect(line).not.toContain(EMAIL)
    const parsed = JSON.parse(line)
    expect(parsed).toMatchObject({ event: 'better-auth', level: 'error', message: 'INTERNAL_SERVER_ERROR' })
    expect(parsed.details[0]).toMatch(/^DrizzleQueryError: Failed query: .*params: \[redacted\] <- Error: duplicate key/s)
    expect(parsed.details[1]).toBe('[object]')
  })

  it('redacts emails in the message itself', () => {
    expect(JSON.parse(authLogLine('info', `Sign-up attempt for existing email: ${EMAIL}`, [])).message).toBe('Sign-up attempt for existing email: [email]')
  })
})

describe('describeForLog', () => {
  it('keeps primitives, redacted', () => {
    expect(describeForLog(`user ${EMAIL}`)).toBe('user [email]')
    expect(describeForLog(3)).toBe('3')
    expect(describeForLog(undefined)).toBe('undefined')
  })
})
