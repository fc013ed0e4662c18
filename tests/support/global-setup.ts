import { randomBytes } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { freePort } from '../../scripts/embedded-db.mjs'
import { startTestPostgres, startTestServer } from './test-server.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    /** The local storage endpoint the worker signs for (another origin than baseURL, as R2 is in production). */
    storageEndpoint: string
    databaseUrl: string
    /** The Postgres server the run's databases live on (suites that need a database of their own create it there). */
    postgresUrl: string
    /** The worker's BETTER_AUTH_SECRET, so the session tests can sign cookie caches the way Better Auth does. */
    authSecret: string
  }
}

export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres()
  try {
    // Free ports, not fixed ones: a second suite on the same machine (CI next to a developer) must not answer ours.
    const authSecret = randomBytes(32).toString('hex')
    const server = await startTestServer({ port: await freePort(), postgresUrl: postgres.url, stdio: 'ignore', secret: authSecret })
    project.provide('baseURL', server.baseURL)
    project.provide('storageEndpoint', server.storageEndpoint)
    project.provide('databaseUrl', server.databaseUrl)
    project.provide('postgresUrl', postgres.url)
    project.provide('authSecret', authSecret)
    return async () => {
      await server.stop()
      await postgres.stop()
    }
  }
  catch (error) {
    await postgres.stop()
    throw error
  }
}
