// What the worker logs about errors must not carry what users sent: Drizzle puts a failed query's values (the session
// token of a session lookup, the email of a sign-in) in its message, its stack and `params`; pg's `detail` quotes
// row values (`Key (email)=(…) already exists.`). A signed URL is a bearer credential: only its path may be logged.

const EMAIL = /[\w.+%-]+@[\w-]+(?:\.[\w-]+)+/g
// In a message the values run to its end; in a stack, to the first frame.
const QUERY_PARAMS = /params: [\s\S]*?(?=\n\s+at |$)/g
// The query string of a pre-signed URL (X-Amz-Credential, X-Amz-Signature, …).
const SIGNED_QUERY = /\?[^\s"'<>]*X-Amz-[^\s"'<>]*/g
const FIELDS_WITH_VALUES = ['params', 'parameters', 'detail', 'where', 'hint', 'internalQuery']
const MAX_DEPTH = 10

export function redactText(text: string): string {
  return text.replace(QUERY_PARAMS, 'params: [redacted]').replace(SIGNED_QUERY, '?[signed]').replace(EMAIL, '[email]')
}

/**
 * h3's createError turns `stack` into a getter of the wrapped error's stack (and leaves that error out of the cause
 * chain), so a plain write fails silently: the property is redefined with the redacted value instead.
 */
function overwrite(record: Record<string, unknown>, field: string, value: unknown): void {
  if (Reflect.set(record, field, value) && record[field] === value) return
  Reflect.defineProperty(record, field, { value, writable: true, configurable: true })
}

/**
 * Redacts an error, its `cause` chain and an AggregateError's `errors` in place: Nitro logs the very object its
 * error hook was given, properties included.
 */
export function redactError(error: unknown, depth = 0, seen = new Set<object>()): void {
  if (!error || typeof error !== 'object' || seen.has(error) || depth > MAX_DEPTH) return
  seen.add(error)
  const record = error as Record<string, unknown>
  for (const field of FIELDS_WITH_VALUES) {
    if (record[field] !== undefined) overwrite(record, field, '[redacted]')
  }
  for (const field of new Set([...Object.keys(record), 'message', 'stack'])) {
    const value = record[field]
    if (typeof value === 'string') overwrite(record, field, redactText(value))
  }
  redactError(record.cause, depth + 1, seen)
  if (Array.isArray(record.errors)) for (const inner of record.errors) redactError(inner, depth + 1, seen)
}

/** `Name: message` for an error and each error it wraps, redacted; other values only by their type. */
export function describeForLog(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return redactText(String(value))
  if (!(value instanceof Error)) return value === null || value === undefined ? String(value) : `[${typeof value}]`
  const chain: string[] = []
  for (let current: unknown = value; current instanceof Error && chain.length <= MAX_DEPTH; current = current.cause) {
    // Drizzle's error keeps the name 'Error'; its class says what it is.
    chain.push(redactText(`${current.name === 'Error' ? current.constructor.name : current.name}: ${current.message}`))
  }
  return chain.join(' <- ')
}

/** One JSON line for a Better Auth log call, in place of its message and raw arguments. */
export function authLogLine(level: string, message: string, args: unknown[]): string {
  return JSON.stringify({ event: 'better-auth', level, message: redactText(message), details: args.map(describeForLog) })
}
