import { createError, defineEventHandler, getRouterParam } from 'h3'
import { uploadMetadata } from '../../../../../shared/utils/upload-contract'
import { recordPresignEvent } from '../../../../../server/utils/audit'
import { requireUser } from '../../../../../server/utils/auth'
import { useEnv } from '../../../../../server/utils/env'
import { readProfileImage } from '../../../../../server/utils/profile-image'
import { useSigner } from '../../../../../server/utils/r2'
import { enforceRateLimit } from '../../../../../server/utils/rate-limit'
import { requireBench } from '../../../counters'

// Where a profile presign's time goes: the bare signer plus each step of the real route, added one at a time
// (`/__bench/split/session` … `/__bench/split/audit`), measured in the same run as the bare route and the real one.
const STEPS = ['session', 'limit', 'storage', 'audit']

export default defineEventHandler(async (event) => {
  requireBench(event)
  const steps = STEPS.indexOf(getRouterParam(event, 'step') ?? '') + 1
  if (steps === 0) throw createError({ statusCode: 404, message: 'Not found' })
  const user = await requireUser(event)
  if (steps >= 2) await enforceRateLimit(event, 'uploadUrls', user.id)
  const key = user.image ?? 'bench/split'
  if (steps >= 3) await readProfileImage(useEnv(event).GALLERY, key)
  const presignedUrl = await useSigner(event).presignPut({
    key,
    contentType: 'image/png',
    contentLength: 1024,
    metadata: uploadMetadata({ originalFilename: 'bench.png', uploadedBy: user.id, uploadedAt: new Date().toISOString() }),
  })
  if (steps >= 4) recordPresignEvent(event, { userId: user.id, action: 'put', key, contentType: 'image/png', size: 1024 })
  return { presignedUrl }
})
