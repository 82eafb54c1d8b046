import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../services/db/client.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, startTestRuntime } from '../helpers/runtime.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase('security_headers')
  // The api role expects `paperboy migrate` to have run.
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
  await handle.migrate()
  await handle.close()
})

afterAll(async () => {
  await database?.drop()
})

/** The headers of the subscribe page as served with this PUBLIC_URL. */
async function headersFor(publicUrl: string) {
  const runtime = await startTestRuntime({
    env: { DATABASE_URL: database.url, PUBLIC_URL: publicUrl },
    role: 'api',
  })
  try {
    const response = await runtime.app?.inject({ url: '/' })
    expect(response?.statusCode).toBe(200)
    return response?.headers ?? {}
  } finally {
    await runtime.close()
    await clearPrefix(runtime.config.queuePrefix)
  }
}

describe('security headers follow the scheme of PUBLIC_URL', () => {
  it('over https: HSTS, and the CSP upgrades insecure requests', async () => {
    const headers = await headersFor('https://papers.example.org')
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(headers['content-security-policy']).toContain('upgrade-insecure-requests')
    expect(headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('over plain http (a LAN name, a Docker host): neither, so CSS, scripts and forms stay on http', async () => {
    const headers = await headersFor('http://paperboy.lan:3000')
    expect(headers['strict-transport-security']).toBeUndefined()
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests')
    expect(headers['content-security-policy']).toContain("default-src 'self'")
    expect(headers['content-security-policy']).toContain("form-action 'self'")
  })
})
