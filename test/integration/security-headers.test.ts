import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../helpers/database.js'
import { clearPrefix, startTestRuntime } from '../helpers/runtime.js'

/** The headers of the subscribe page as served with this PUBLIC_URL. */
async function headersFor(publicUrl: string) {
  const database = await createTestDatabase('security_headers')
  const runtime = await startTestRuntime({
    env: { ...database.env, PUBLIC_URL: publicUrl, INGEST_CRON: 'off' },
  })
  try {
    const response = await runtime.app?.inject({ url: '/' })
    expect(response?.statusCode).toBe(200)
    return response?.headers ?? {}
  } finally {
    await runtime.close()
    await clearPrefix(runtime.config.queuePrefix)
    await database.drop()
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
