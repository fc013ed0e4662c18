// Signing cost per URL: the app's own signer (server/utils/r2.ts, aws4fetch) against @aws-sdk/s3-request-presigner,
// signing the same PUT (content-type, content-length and three x-amz-meta headers) in one process, in alternating
// rounds. Each library's URL is first PUT to the local S3 endpoint, which verifies SigV4: both sign work that passes.
import { build } from 'esbuild'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { signedUploadHeaders, uploadMetadata } from '../../shared/utils/upload-contract.ts'

const BUCKET = 'gallery'
const ROUNDS = 5
const URLS_PER_ROUND = 2000
const WARM_UP = 300
const BODY = Buffer.from('signing benchmark')

/** The real signer module, bundled for Node (it is TypeScript inside the Nitro app). */
export async function loadAppSigner() {
  const result = await build({ entryPoints: ['server/utils/r2.ts'], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent' })
  const source = result.outputFiles[0].text
  return import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)
}

function inputFor(index) {
  const values = { originalFilename: `file-${index}.txt`, uploadedBy: 'bench-user', uploadedAt: new Date().toISOString() }
  return { key: `bench-signing-${index}`, contentType: 'text/plain', contentLength: BODY.length, values, metadata: uploadMetadata(values) }
}

function sdkSigner({ endpoint, accessKeyId, secretAccessKey }) {
  const client = new S3Client({
    region: 'auto', endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey },
    // Default checksums would add a checksum the browser cannot know in advance.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  })
  return ({ key, contentType, contentLength, metadata }) => getSignedUrl(client, new PutObjectCommand({
    Bucket: BUCKET, Key: key, ContentType: contentType, ContentLength: contentLength, Metadata: metadata,
  }), {
    expiresIn: 86_400,
    signableHeaders: new Set(['content-type', 'content-length']),
    // Kept as signed headers, as the app signs them, rather than moved into the query.
    unhoistableHeaders: new Set(Object.keys(metadata).map(name => `x-amz-meta-${name}`)),
  })
}

async function verify(name, sign) {
  const input = inputFor(`verify-${name}`)
  const url = await sign(input)
  const headers = signedUploadHeaders({ contentType: input.contentType, ...input.values })
  const response = await fetch(url, { method: 'PUT', headers, body: BODY })
  return response.status
}

async function timeRound(sign, round) {
  const started = process.hrtime.bigint()
  for (let i = 0; i < URLS_PER_ROUND; i++) await sign(inputFor(`${round}-${i}`))
  return Number(process.hrtime.bigint() - started) / 1000 / URLS_PER_ROUND
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export async function measureSigning({ endpoint, accessKeyId, secretAccessKey }) {
  const { createSigner } = await loadAppSigner()
  const appSigner = createSigner({ accessKeyId, secretAccessKey, endpoint, bucket: BUCKET })
  const libraries = [
    { library: 'aws4fetch (server/utils/r2.ts)', sign: input => appSigner.presignPut(input) },
    { library: '@aws-sdk/s3-request-presigner', sign: sdkSigner({ endpoint, accessKeyId, secretAccessKey }) },
  ]
  for (const entry of libraries) {
    entry.verifiedPutStatus = await verify(entry.library.split(' ')[0].replace(/\W/g, ''), entry.sign)
    for (let i = 0; i < WARM_UP; i++) await entry.sign(inputFor(`warm-${i}`))
    entry.rounds = []
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of libraries) entry.rounds.push(await timeRound(entry.sign, round))
  }
  return libraries.map(({ library, verifiedPutStatus, rounds }) => ({
    library,
    microsecondsPerUrl: Number(median(rounds).toFixed(1)),
    urlsPerSecond: Math.round(1e6 / median(rounds)),
    verifiedPutStatus,
    rounds: rounds.map(value => Number(value.toFixed(1))),
  }))
}
