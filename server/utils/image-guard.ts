import { APIError } from 'better-auth/api'

// `user.image` is the profile-image storage key: only our own key assignment (a direct SQL update in
// server/utils/profile-image.ts, never through Better Auth) may write it.

export const IMAGE_REFUSAL_MESSAGE = 'The profile image cannot be set here; upload it from the profile page'

/**
 * Better Auth's `databaseHooks.user.*.before`: refuses (throws) any user write through Better Auth that carries
 * `image`. Returning data instead would not do: Better Auth merges a hook's data over the original, keeping `image`.
 */
export function refuseImageWrite(user: { image?: unknown }): void {
  if (user.image !== undefined && user.image !== null) throw new APIError('BAD_REQUEST', { message: IMAGE_REFUSAL_MESSAGE })
}

/** On updates even a null is refused: clearing the key would orphan the object stored under it. */
export function refuseImageUpdate(data: Record<string, unknown>): void {
  if (data.image !== undefined) throw new APIError('BAD_REQUEST', { message: IMAGE_REFUSAL_MESSAGE })
}
