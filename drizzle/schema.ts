import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

// Better Auth's core tables. `user.image` holds the user's profile-image storage key (never a URL),
// so it is unique and only the server's own routes write it.
export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image').unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const session = pgTable('session', {
  id: text('id').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  token: text('token').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
}, table => [index('session_user_id_idx').on(table.userId)])

export const account = pgTable('account', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull(),
  providerId: text('provider_id').notNull(),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  idToken: text('id_token'),
  accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
  refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
  scope: text('scope'),
  password: text('password'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('account_user_id_idx').on(table.userId)])

export const verification = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('verification_identifier_idx').on(table.identifier)])

// Generic uploads: one row per pre-signed PUT. `pending` until /complete has seen the object in storage;
// pending rows past their URL's expiry (plus a margin) are orphans and are cleaned up with their objects.
// `deleted` is a tombstone kept while the URL could still write the key, so cleanup deletes it again afterwards.
export const upload = pgTable('upload', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  key: text('key').notNull().unique(),
  originalFilename: text('original_filename').notNull(),
  contentType: text('content_type').notNull(),
  declaredSize: bigint('declared_size', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['pending', 'committed', 'deleted'] }).notNull().default('pending'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  committedAt: timestamp('committed_at', { withTimezone: true }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Large files only: storage's multipart upload id while `pending`, and the size of every part but the last. */
  multipartId: text('multipart_id'),
  partSize: bigint('part_size', { mode: 'number' }),
  /** Bytes of the checked preview stored at `<key>.preview.webp` (shared/utils/upload-contract.ts), null when none. */
  previewSize: integer('preview_size'),
}, table => [
  index('upload_owner_listing_idx').on(table.ownerId, table.status, table.createdAt.desc()),
  index('upload_pending_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'pending'`),
  index('upload_deleted_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'deleted'`),
  check('upload_status_check', sql`${table.status} in ('pending', 'committed', 'deleted')`),
])

// The parts of a multipart upload that storage has acknowledged, as the browser reported them: the local S3 endpoint has
// no ListParts and the R2 binding lists no parts, so this is what resuming and completing rely on.
export const multipartUploadPart = pgTable('multipart_upload_part', {
  uploadId: text('upload_id').notNull().references(() => upload.id, { onDelete: 'cascade' }),
  partNumber: integer('part_number').notNull(),
  etag: text('etag').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  primaryKey({ columns: [table.uploadId, table.partNumber] }),
  check('multipart_upload_part_number_check', sql`${table.partNumber} between 1 and 10000`),
])

// Audit log: one row per URL issued or object deleted. Never the URL, its signature or any secret.
// `event_id` is made by the producer and travels in the queue message, so a redelivered message adds nothing;
// `created_at` is when the event happened, not when the consumer wrote it.
export const presignEvent = pgTable('presign_event', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  eventId: uuid('event_id').notNull().unique().defaultRandom(),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  action: text('action', { enum: ['put', 'get', 'delete'] }).notNull(),
  key: text('key').notNull(),
  /** The file's name as the person chose it, for their activity list (the upload row may be gone by then). */
  filename: text('filename'),
  /**
   * Not an action of its own: signed for the page to show a file (a thumbnail) or as part of an upload already recorded
   * (a batch of part URLs). In the audit log, not in the person's activity.
   */
  incidental: boolean('incidental').notNull().default(false),
  contentType: text('content_type'),
  size: bigint('size', { mode: 'number' }),
  clientIp: text('client_ip'),
  userAgent: text('user_agent'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  index('presign_event_user_created_idx').on(table.userId, table.createdAt.desc()),
  check('presign_event_action_check', sql`${table.action} in ('put', 'get', 'delete')`),
])

// Audit messages the queue gave up on (gallery-audit-dlq), kept whole for inspection and replay (docs/security.md).
// No foreign key: a message whose user is gone must still land here.
export const auditDeadLetter = pgTable('audit_dead_letter', {
  eventId: uuid('event_id').primaryKey(),
  body: jsonb('body').notNull(),
  attempts: integer('attempts').notNull(),
  deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }).notNull().defaultNow(),
})

// Better Auth's limiter store for /api/auth/* (the Workers memory store would be per isolate).
export const rateLimit = pgTable('rate_limit', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
})

// Objects whose owner is gone (a deleted account). Until no upload URL issued before the deletion can write a key any
// more, the cleanup deletes it again on every run, or, for a key such a URL was signed for (`tombstone`), writes its
// tombstone again; then it deletes the key and drops the row. `multipart_id`: an unfinished multipart upload on the key
// whose abort has not succeeded yet. Keeps storage from holding ownerless objects even when a delete fails part-way.
export const orphanedObject = pgTable('orphaned_object', {
  key: text('key').primaryKey(),
  deleteAgainUntil: timestamp('delete_again_until', { withTimezone: true }).notNull(),
  tombstone: boolean('tombstone').notNull().default(false),
  multipartId: text('multipart_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

// Earlier profile images: each row is one object under `<user.image>/v/<uuid>`, a copy made in storage of
// what the stable key held before an upload or restore replaced it. `source_etag` is that object's ETag, so an
// unchanged current image is not kept twice.
export const profileImageVersion = pgTable('profile_image_version', {
  id: uuid('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  key: text('key').notNull().unique(),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  originalFilename: text('original_filename').notNull(),
  sourceEtag: text('source_etag').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('profile_image_version_owner_created_idx').on(table.ownerId, table.createdAt.desc())])
