// A signed-in client for the benchmark: sign-up over HTTP and a cookie jar that follows Set-Cookie, as a browser
// would (the session cookie cache is re-issued by the server when the user changes).
import { randomBytes, randomUUID } from 'node:crypto'

/** Better Auth limits sign-ups per client address; each benchmark user comes from an address of its own. */
function randomClientIp() {
  const bytes = randomBytes(3)
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

/**
 * workerd may close a kept-alive connection while it is busy with a large upload (seen after the 1 GiB curl PUT); undici
 * then sends the next request on the dead socket and fails with "other side closed", unanswered. Such a request is
 * sent once more on a new connection.
 */
async function fetchOnFreshSocket(url, init) {
  try {
    return await fetch(url, init)
  }
  catch (error) {
    if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error
    console.error(`bench: ${init.method} ${new URL(url).pathname}: ${error.cause.message} on a kept-alive connection; sending it again`)
    return fetch(url, init)
  }
}

export class BenchClient {
  cookies = new Map()

  constructor(baseURL) {
    this.baseURL = baseURL
    this.clientIp = randomClientIp()
  }

  get cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Only the session token: what a request looks like once the cookie cache has expired. */
  get tokenOnlyCookieHeader() {
    return [...this.cookies].filter(([name]) => name.endsWith('session_token')).map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(path, { method = 'GET', json, headers = {}, cookie = this.cookieHeader } = {}) {
    const response = await fetchOnFreshSocket(`${this.baseURL}${path}`, {
      method,
      headers: {
        'origin': this.baseURL,
        'cf-connecting-ip': this.clientIp,
        ...(cookie ? { cookie } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const separator = pair.indexOf('=')
      const name = pair.slice(0, separator).trim()
      const expired = attributes.some(attribute => /^\s*max-age=0\s*$/i.test(attribute))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(separator + 1))
    }
    const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text()
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(body)}`)
    return { body, headers: response.headers }
  }

  async signUp(name = 'Bench User') {
    this.email = `bench-${randomUUID()}@example.com`
    this.password = 'correct-horse-battery'
    await this.request('/api/auth/sign-up/email', { method: 'POST', json: { name, email: this.email, password: this.password } })
    return this
  }

  /** A fresh session whose cookie cache is filled from the database as it is now. */
  async signIn() {
    this.cookies.clear()
    this.clientIp = randomClientIp()
    await this.request('/api/auth/sign-in/email', { method: 'POST', json: { email: this.email, password: this.password } })
    return this
  }
}
