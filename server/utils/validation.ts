import type { H3Event } from 'h3'
import type { z } from 'zod'

interface Refusal { statusCode: number, message: string }

/**
 * A validator for h3's validated readers: the first zod issue becomes a `{ statusCode, message }` error naming the
 * field (or `refusal` when given, e.g. a 404 for a malformed id).
 */
function validateWith<T extends z.ZodType>(schema: T, refusal?: Refusal) {
  return (data: unknown): z.output<T> => {
    const result = schema.safeParse(data)
    if (result.success) return result.data
    if (refusal) throw createError(refusal)
    const issue = result.error.issues[0]!
    const field = issue.path.join('.')
    throw createError({ statusCode: 400, message: field ? `${field}: ${issue.message}` : issue.message })
  }
}

/** h3 re-wraps a validator's error as a 400 "Validation Error": answer with the validator's own status and message. */
function unwrapValidationError(error: unknown, fallback: Refusal): never {
  const inner = (error as { data?: unknown }).data
  if (isError(inner)) throw inner
  throw createError(fallback)
}

/**
 * Reads a JSON body and validates it; any problem is a `{ statusCode, message }` naming the field. The JSON-only guard
 * lives here: a cross-site <form enctype="text/plain"> can send cookies but never this content type.
 */
export async function readValidatedJson<T extends z.ZodType>(event: H3Event, schema: T): Promise<z.output<T>> {
  const mediaType = getRequestHeader(event, 'content-type')?.split(';')[0]!.trim().toLowerCase()
  if (mediaType !== 'application/json') {
    throw createError({ statusCode: 415, message: 'Send the request body as application/json' })
  }
  // The body is already in memory (Nitro's Workers entry buffers it); measure it before JSON.parse does any work.
  const raw = await readRawBody(event, false)
  if (raw && raw.length > requestConfig.maxJsonBodyBytes) throw createError(BODY_TOO_LARGE)
  const validate = validateWith(schema)
  return readValidatedBody(event, (body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw createError({ statusCode: 400, message: 'The request body must be a JSON object' })
    }
    return validate(body)
  }).catch(error => unwrapValidationError(error, { statusCode: 400, message: 'The request body must be valid JSON' }))
}

export function readValidatedQuery<T extends z.ZodType>(event: H3Event, schema: T, refusal?: Refusal): Promise<z.output<T>> {
  return getValidatedQuery(event, validateWith(schema, refusal))
    .catch(error => unwrapValidationError(error, refusal ?? { statusCode: 400, message: 'Invalid query' }))
}

export function readValidatedParams<T extends z.ZodType>(event: H3Event, schema: T, refusal: Refusal): Promise<z.output<T>> {
  return getValidatedRouterParams(event, validateWith(schema, refusal))
    .catch(error => unwrapValidationError(error, refusal))
}
