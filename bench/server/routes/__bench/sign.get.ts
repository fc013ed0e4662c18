import { defineEventHandler } from 'h3'
import { uploadMetadata } from '../../../../shared/utils/upload-contract'
import { useSigner } from '../../../../server/utils/r2'
import { requireBench } from '../../counters'

// The floor for the signing endpoints: the same signer and the same signed headers as a profile-image upload URL,
// with no session, no database and no rate limit.
export default defineEventHandler(async (event) => {
  requireBench(event)
  const presignedUrl = await useSigner(event).presignPut({
    key: 'bench/bare-signing-route',
    contentType: 'image/png',
    contentLength: 1024,
    metadata: uploadMetadata({ originalFilename: 'bench.png', uploadedBy: 'bench', uploadedAt: new Date().toISOString() }),
  })
  return { presignedUrl }
})
