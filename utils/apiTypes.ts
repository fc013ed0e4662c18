import type { InternalApi } from 'nitropack/types'

// Response types as Nitro infers them from the route handlers (serialised: dates are strings): never re-declared.
export type UploadPage = InternalApi['/api/uploads']['get']
export type UploadView = UploadPage['items'][number]
export type ProfileImageInfo = InternalApi['/api/user/profile/image']['get']
export type ActivityItem = InternalApi['/api/user/activity']['get']['items'][number]
export type StorageUsage = InternalApi['/api/uploads/usage']['get']
export type ProfileImageVersion = InternalApi['/api/user/profile/image/versions']['get']['items'][number]
export type PendingMultipartUpload = InternalApi['/api/uploads/multipart']['get']['items'][number]
