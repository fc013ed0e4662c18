import type { GalleryMetric } from '../types/hooks'

/** Reports work to the `gallery:instrument` Nitro hook (server/types/hooks.d.ts); without a listener it does nothing. */
export function instrument(metric: GalleryMetric): void {
  void useNitroApp().hooks.callHook('gallery:instrument', metric)
}
