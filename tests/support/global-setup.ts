import type { TestProject } from 'vitest/node'
import { startTestServer } from './test-server.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    databaseUrl: string
  }
}

const INTEGRATION_PORT = 8790

export default async function setup(project: TestProject) {
  const server = await startTestServer({ port: INTEGRATION_PORT, stdio: 'ignore' })
  project.provide('baseURL', server.baseURL)
  project.provide('databaseUrl', server.databaseUrl)
  return () => server.stop()
}
