/**
 * True when an error means "the database cannot be reached" rather than "this query is wrong": errors without a
 * SQLSTATE come from the driver or the socket (refused, reset, timed out); 08xxx are connection exceptions,
 * 57P0x shutdowns, 53300 too many connections.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P') || code === '53300'
  return error instanceof Error
}

/** Whether the error, or anything in its `cause` chain, is our 503 for an unreachable database. */
export function causedByUnavailableDatabase(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    if ((current as { statusCode?: unknown }).statusCode === 503) return true
  }
  return false
}

export function databaseUnavailableError(cause: unknown) {
  return createError({ statusCode: 503, message: 'The database is unavailable right now. Please try again shortly.', cause })
}

/**
 * Drizzle wraps driver errors in its own, so a route's query against an unreachable database would answer a bare
 * 500. Turns such an error (already an H3Error on its way to the error handler) into the 503 it means.
 */
export function markDatabaseUnavailable(error: { statusCode?: number, statusMessage?: string, message: string, unhandled?: boolean, cause?: unknown }): void {
  if (error.statusCode !== 500 || !causedByUnavailableDatabase(error.cause)) return
  const unavailable = databaseUnavailableError(error.cause)
  error.statusCode = unavailable.statusCode
  error.statusMessage = unavailable.statusMessage
  error.message = unavailable.message
  error.unhandled = false
}

/** A write that needs the user's row failed because the row is gone: the account was deleted. */
function causedByDeletedAccount(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint } = current as { code?: unknown, constraint?: unknown }
    if (code === '23503' && typeof constraint === 'string' && constraint.endsWith('_user_id_fk')) return true
  }
  return false
}

/**
 * A session still cached on another device can outlive its account by the cookie cache's lifetime; a write it makes
 * then fails on the user foreign key. Turns that 500 into the 401 it means.
 */
export function markDeletedAccount(error: { statusCode?: number, statusMessage?: string, message: string, unhandled?: boolean, cause?: unknown }): void {
  if (error.statusCode !== 500 || !causedByDeletedAccount(error.cause)) return
  error.statusCode = ACCOUNT_GONE.statusCode
  error.statusMessage = 'Unauthorized'
  error.message = ACCOUNT_GONE.message
  error.unhandled = false
}
