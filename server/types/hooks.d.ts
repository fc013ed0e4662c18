import type { H3Event } from 'h3'

/** A unit of work the app reports: an SQL statement (`event` unset for the audit queue consumer), audit events sent and received. */
export type GalleryMetric = { kind: 'sql', event?: H3Event } | { kind: 'audit-sent' } | { kind: 'audit-received', count: number }

declare module 'nitropack/types' {
  interface NitroRuntimeHooks {
    /** Called by server/utils/instrument.ts; nothing listens in the deployed build, only the benchmark layer's counters. */
    'gallery:instrument': (metric: GalleryMetric) => void
  }
}
