// The zod schemas of every request body, query and route parameter: the server validates with them, the browser and
// the tests can build requests against them.
import { z } from 'zod'
import { multipartPolicy, previewPolicy, profileImagePolicy, uploadPolicy, wantsPreview } from './policy'

/** C0 and C1 control characters (CR, LF, NUL, …): never allowed in names or header values. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/

export function filenameSchema(maxLength: number) {
  return z.string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(name => name.isWellFormed(), 'must be valid Unicode text')
    .refine(name => !CONTROL_CHARACTERS.test(name), 'must not contain control characters such as CR or LF')
}

function fileSizeSchema(maxBytes: number) {
  return z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte')
    .max(maxBytes, `must be at most ${maxBytes} bytes`)
}

/** `POST /api/user/profile/image` */
export const profileImageRequestSchema = z.object({
  contentType: z.enum(profileImagePolicy.contentTypes, `must be one of ${profileImagePolicy.contentTypes.join(', ')}`),
  fileSize: fileSizeSchema(profileImagePolicy.maxBytes),
  originalFilename: filenameSchema(profileImagePolicy.maxFilenameLength).optional(),
})

/** `/api/user/profile/image/versions/:id/…` */
export const profileImageVersionParamsSchema = z.object({
  id: z.uuid(),
})

/** `DELETE /api/user/profile/image?versions=all` also deletes every earlier image; by default they are kept. */
export const profileImageDeleteQuerySchema = z.object({
  versions: z.enum(['keep', 'all']).default('keep'),
})

/** `PATCH /api/user/profile`. Strict: `image` (the storage key) or any other field is refused, never dropped. */
export const profileUpdateSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
    .refine(name => name.isWellFormed(), 'must be valid Unicode text')
    .refine(name => !CONTROL_CHARACTERS.test(name), 'must not contain control characters'),
})

/** The optional `preview` of an upload request: the WebP the browser made, announced by type and exact size. */
export const previewRequestSchema = z.object({
  contentType: z.literal(previewPolicy.contentType, `must be ${previewPolicy.contentType}`),
  fileSize: fileSizeSchema(previewPolicy.maxBytes),
})

const uploadRequestFields = {
  filename: filenameSchema(uploadPolicy.maxFilenameLength).refine(name => name.trim().length > 0, 'must not be empty'),
  contentType: z.enum(uploadPolicy.contentTypes, 'is not an allowed file type'),
  fileSize: fileSizeSchema(uploadPolicy.maxBytes),
  preview: previewRequestSchema.optional(),
}

/** A preview only for an image the grid shows, and only when it is smaller than the original (see previewPolicy). */
function previewFitsUpload(request: { contentType: string, fileSize: number, preview?: unknown }) {
  return request.preview === undefined || wantsPreview(request.contentType, request.fileSize)
}
const PREVIEW_REFUSED = {
  path: ['preview'],
  message: `only an image (${previewPolicy.sourceContentTypes.join(', ')}) larger than ${previewPolicy.maxBytes} bytes can have a preview`,
}

/** `POST /api/uploads/pre-signed-url` */
export const uploadRequestSchema = z.object(uploadRequestFields).refine(previewFitsUpload, PREVIEW_REFUSED)

/** `GET /api/uploads?limit=&offset=` */
export const uploadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(uploadPolicy.maxListPageSize).default(uploadPolicy.listPageSize),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

/** `POST /api/uploads/download-urls`: a page of the owner's uploads to sign GET URLs for. */
export const downloadUrlsRequestSchema = z.object({
  ids: z.array(z.uuid('must be upload ids'), 'must be a list of upload ids')
    .min(1, 'must name at least one upload')
    .max(uploadPolicy.maxDownloadUrlBatch, `must name at most ${uploadPolicy.maxDownloadUrlBatch} uploads`),
})

/** `/api/uploads/:id/…` */
export const uploadIdParamsSchema = z.object({
  id: z.uuid(),
})

/** `POST /api/uploads/multipart`: as a single upload, up to the multipart limit. */
export const multipartUploadRequestSchema = z.object({
  ...uploadRequestFields,
  fileSize: fileSizeSchema(multipartPolicy.maxBytes),
}).refine(previewFitsUpload, PREVIEW_REFUSED)

/** `GET /api/uploads/multipart?limit=`: the caller's unfinished uploads in parts. */
export const pendingMultipartListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(multipartPolicy.maxPendingListed).default(multipartPolicy.maxPendingListed),
})

const partNumberSchema = z.coerce.number().int('must be a whole number').min(1, 'must be at least 1')
  .max(multipartPolicy.maxParts, `must be at most ${multipartPolicy.maxParts}`)

/** `POST /api/uploads/multipart/:id/parts` */
export const multipartSignRequestSchema = z.object({
  partNumbers: z.array(partNumberSchema).min(1, 'must name at least one part')
    .max(multipartPolicy.maxPartsPerSigningRequest, `must name at most ${multipartPolicy.maxPartsPerSigningRequest} parts`),
})

/** The ETag storage answered a part's PUT with (quotes optional). */
const partEtagSchema = z.string().regex(/^"?[\w-]{1,200}"?$/, 'must be the ETag storage returned for the part')
  // Storage's binding takes the bare value; the S3 header quotes it.
  .transform(etag => etag.replaceAll('"', ''))

/** `PUT /api/uploads/multipart/:id/parts/:partNumber` */
export const multipartPartRecordSchema = z.object({ etag: partEtagSchema })

/** `PUT /api/uploads/multipart/:id/parts`: several finished parts in one request. */
export const multipartPartsRecordSchema = z.object({
  parts: z.array(z.object({ partNumber: partNumberSchema, etag: partEtagSchema }))
    .min(1, 'must name at least one part')
    .max(multipartPolicy.maxPartsPerSigningRequest, `must name at most ${multipartPolicy.maxPartsPerSigningRequest} parts`)
    .refine(parts => new Set(parts.map(part => part.partNumber)).size === parts.length, 'must not name a part twice'),
})

/** `/api/uploads/multipart/:id/parts/:partNumber` */
export const multipartPartParamsSchema = z.object({
  id: z.uuid(),
  partNumber: partNumberSchema,
})
