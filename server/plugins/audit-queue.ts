// The Worker's queue consumer: Nitro's cloudflare-module entry hands every batch to this hook.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('cloudflare:queue', async ({ batch, env }) => {
    const audit = batch as Parameters<typeof consumeAuditBatch>[0]
    if (batch.queue === auditConfig.queue) await consumeAuditBatch(audit, env as GalleryEnv)
    else if (batch.queue === auditConfig.deadLetterQueue) await recordDeadLetters(audit, env as GalleryEnv)
  })
})
