import type { ExecutionContext } from '@cloudflare/workers-types'
import type { Auth, SessionWithUser } from '../utils/auth'
import type { Database } from '../utils/db'
import type { GalleryEnv } from '../utils/env'

// Every key the server puts on event.context, typed (h3 would otherwise type them all as `any`).
declare module 'h3' {
  interface H3EventContext {
    /** Set by Nitro's cloudflare-module entry: the bindings (read through useEnv) and the execution context. */
    cloudflare?: { env: GalleryEnv, context: ExecutionContext, request: Request }
    /** The request's database and how to close it (server/utils/db.ts). */
    db?: Database
    closeDB?: () => Promise<void>
    /** The request's Better Auth instance and the session requireUser found. */
    auth?: Auth
    session?: SessionWithUser
    /** The profile-image key the session cookie cache is being rewritten with (server/utils/auth.ts). */
    profileImageKeyToCache?: string
    /** Work started once the response is out (server/utils/background.ts). */
    deferredWork?: (() => Promise<unknown>)[]
  }
}

declare module 'nitropack/types' {
  /** What Nitro's cloudflare-module entry passes a scheduled task (server/tasks/). */
  interface TaskContext {
    cloudflare?: { env: GalleryEnv, context: ExecutionContext }
  }
}

export {}
