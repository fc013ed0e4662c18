export default defineTask({
  meta: { name: 'uploads:cleanup', description: 'Delete abandoned pending uploads, deleted accounts\' objects, and their rows' },
  async run({ context }) {
    const env = context.cloudflare?.env
    if (!env) throw new Error('uploads:cleanup needs the Cloudflare bindings (run it through the cron trigger)')
    const { db, close } = openDB(env.HYPERDRIVE.connectionString)
    try {
      const started = Date.now()
      const result = await cleanupOrphanedUploads(db, env.GALLERY)
      const orphans = await cleanupOrphanedObjects(db, env.GALLERY)
      const { rows: deletedRows, batches, backlog } = result
      console.log(JSON.stringify({ event: 'uploads.cleanup', deletedRows, batches, backlog, orphanedObjects: orphans, ms: Date.now() - started }))
      return { result: { ...result, orphans } }
    }
    finally {
      await close()
    }
  },
})
