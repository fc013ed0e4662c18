import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DrizzleQueryError } from 'drizzle-orm/errors'
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
