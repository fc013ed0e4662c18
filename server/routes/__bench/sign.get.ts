// The floor for the signing endpoints: the same signer and the same signed headers as a profile-image upload URL,
// with no session, no database and no rate limit.
export default defineEventHandler((event) => {
  requireBench(event)
  return useSigner(event).presignPut({
    key: 'bench/bare-signing-route',
    contentType: 'image/png',
    contentLength: 1024,
    metadata: { 'original-filename': 'bench.png', 'uploaded-by': 'bench', 'uploaded-at': new Date().toISOString() },
  }).then(presignedUrl => ({ presignedUrl }))
})
