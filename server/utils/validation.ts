import type { H3Event } from 'h3'
import type { z } from 'zod'

/** C0 and C1 control characters (CR, LF, NUL, …): never allowed in names or header values. */
export const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/

/** Reads a JSON body and validates it; any problem is a 400 `{ statusCode, message }` naming the field. */
export async function readValidBody<T extends z.ZodType>(event: H3Event, schema: T): Promise<z.output<T>> {
  // Only JSON: a cross-site <form enctype="text/plain"> can send cookies but never this content type.
  const mediaType = getRequestHeader(event, 'content-type')?.split(';')[0]!.trim().toLowerCase()
  if (mediaType !== 'application/json') {
    throw createError({ statusCode: 415, message: 'Send the request body as application/json' })
  }
  let body: unknown
  try {
    body = await readBody(event)
  }
  catch {
    throw createError({ statusCode: 400, message: 'The request body must be valid JSON' })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw createError({ statusCode: 400, message: 'The request body must be a JSON object' })
  }
  const result = schema.safeParse(body)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const field = issue.path.join('.')
    throw createError({ statusCode: 400, message: field ? `${field}: ${issue.message}` : issue.message })
  }
  return result.data
}
