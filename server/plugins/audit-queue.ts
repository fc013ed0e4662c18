// The Worker's queue consumer: Nitro's cloudflare-module entry hands every batch to this hook.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('cloudflare:queue', async ({ batch, env }) => {
    // Nitro types the hook's batch and env loosely; they are this Worker's (server/utils/env.ts).
    const [audit, bindings] = [batch as Parameters<typeof consumeAuditBatch>[0], env as GalleryEnv]
    if (batch.queue === auditConfig.queue) await consumeAuditBatch(audit, bindings)
    else if (batch.queue === auditConfig.deadLetterQueue) await recordDeadLetters(audit, bindings)
  })
})
