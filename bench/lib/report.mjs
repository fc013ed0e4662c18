// The benchmark's figures as Markdown tables (ready for the README) on stdout.
const KiB = 1024

function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

/** The targets, checked against the figures; `npm run bench` exits non-zero when one is missed. */
export function checkTargets({ bundle, sqlStatements, throughput, upload }) {
  const statements = label => sqlStatements.find(row => row.endpoint.startsWith(label))?.criticalPath
  return [
    { target: 'repeat profile presign: 0 SQL statements before the response', met: statements('POST /api/user/profile/image (repeat)') === 0 },
    { target: 'first profile presign: ≤ 1 SQL statement before the response', met: statements('POST /api/user/profile/image (first') <= 1 },
    { target: 'payload bytes through the Worker for a 100 MiB upload: 0', met: upload.workerPayloadBytes === 0 && upload.workerBodiesWithoutLength === 0 && upload.committedBrowserUploads === upload.runs },
    { target: 'Worker bundle ≤ 1 MiB gzip', met: bundle.withinTarget },
    { target: 'every load-run request answered 2xx (figures are of successful requests)', met: throughput.every(row => row.non2xx === 0 && row.errors === 0) },
  ]
}

export function printReport({ date, machine, bundle, sqlStatements, signing, throughput, upload, targets }) {
  const out = []
  out.push(`Gallery benchmark, ${date.slice(0, 10)} — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; workerd via wrangler dev, PostgreSQL on 127.0.0.1`)
  out.push('', '### Throughput and latency (autocannon)', '')
  out.push(table(['endpoint', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'non-2xx', 'errors'],
    throughput.map(row => [row.endpoint, row.connections, row.requestsPerSecond, row.p50Ms, row.p99Ms, `${row.ratioToBare}×`, row.non2xx, row.errors])))
  out.push('', '### SQL statements per request (counted by the driver in the Worker)', '')
  out.push(table(['endpoint', 'before the response', 'after the response'],
    sqlStatements.map(row => [row.endpoint, row.criticalPath, row.afterResponse])))
  out.push('', '### Signing cost per URL (same PUT, one Node process)', '')
  out.push(table(['library', 'µs per URL', 'URLs/s', 'signed PUT accepted by local S3'],
    signing.map(row => [row.library, row.microsecondsPerUrl, row.urlsPerSecond, row.verifiedPutStatus])))
  out.push('', `### ${upload.fileBytes / KiB / KiB} MiB upload (median of ${upload.runs})`, '')
  out.push(table(['figure', 'value'], [
    ['payload bytes through the Worker', upload.workerPayloadBytes],
    ['Worker requests during one upload (all JSON)', `${upload.workerRequestsPerUpload} (${upload.workerJsonBodyBytesPerUpload} B of JSON)`],
    ['request bodies without a length at the Worker', upload.workerBodiesWithoutLength],
    ['uploads committed', `${upload.committedBrowserUploads} of ${upload.runs}`],
    ['Chromium PUT to local S3', `${upload.browserPutMs} ms, ${upload.browserMiBPerSecond} MiB/s`],
    ['curl PUT to local S3 (same file)', `${upload.curlPutMs} ms, ${upload.curlMiBPerSecond} MiB/s`],
  ]))
  out.push('', '### Worker bundle (wrangler deploy --dry-run --outdir)', '')
  out.push(table(['files', 'raw', 'gzip', 'target', 'wrangler says'], [[
    bundle.files.join(', '), `${(bundle.rawBytes / KiB).toFixed(1)} KiB`, `${(bundle.gzipBytes / KiB).toFixed(1)} KiB`,
    `≤ 1024 KiB gzip: ${bundle.withinTarget ? 'met' : 'MISSED'}`, bundle.wranglerReports ?? '—',
  ]]))
  out.push('', '### Targets', '')
  out.push(table(['target', 'result'], targets.map(({ target, met }) => [target, met ? 'met' : 'MISSED'])))
  console.log(out.join('\n'))
}
