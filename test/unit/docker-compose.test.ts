import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from '../../services/config.js'

interface Service {
  image?: string
  build?: unknown
  pull_policy?: string
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  healthcheck?: { test?: string[]; disable?: boolean }
  depends_on?: Record<string, { condition: string }>
}

// merge: the file shares the app's settings through YAML merge keys (<<: *app).
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Service>
}
const composeText = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const envExample = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
const gitignore = readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8')
const appServices = ['api', 'worker', 'scheduler', 'migrate'] as const
const backgroundRoles = ['worker', 'scheduler'] as const

/** Compose's `${NAME:-default}` and `${NAME:?message}` resolved the way a user's shell would. */
function resolveEnv(environment: Record<string, string>): Record<string, string> {
  const sample: Record<string, string> = {
    APP_SECRET: 'x'.repeat(64),
    ADMIN_TOKEN: 'y'.repeat(48),
    METRICS_TOKEN: 'z'.repeat(48),
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      String(value).replace(
        /\$\{(\w+)(?::[-?]([^}]*))?\}/g,
        (_, name: string, fallback: string | undefined) => sample[name] ?? fallback ?? '',
      ),
    ]),
  )
}

describe('docker-compose.yml', () => {
  it('has the backing services and the app in its three roles', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'mailpit',
      'migrate',
      'postgres',
      'redis',
      'scheduler',
      'worker',
    ])
    expect(compose.services.api?.command).toEqual(['serve', '--role', 'api'])
    expect(compose.services.worker?.command).toEqual(['serve', '--role', 'worker'])
    expect(compose.services.scheduler?.command).toEqual(['serve', '--role', 'scheduler'])
    expect(compose.services.migrate?.command).toEqual(['migrate'])
  })

  it('configures Redis so that BullMQ never loses a key', () => {
    const command = compose.services.redis?.command?.join(' ') ?? ''
    expect(command).toContain('--maxmemory-policy noeviction')
    expect(command).toContain('--appendonly yes')
  })

  it.each(appServices)(
    'gives %s only variables the config accepts, with values it accepts',
    (name) => {
      const environment = compose.services[name]?.environment ?? {}
      const documented = [
        ...readme.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?(?:, `([A-Z_]+)`)?/gm),
      ].flatMap((m) => m.slice(1).filter(Boolean))
      for (const key of Object.keys(environment)) {
        expect(
          documented,
          `${name} sets ${key}, which the README's configuration table does not list`,
        ).toContain(key)
      }
      const resolved = resolveEnv(environment)
      expect(() => loadConfig(resolved)).not.toThrow()
      expect(resolved.DATABASE_URL).toMatch(/@postgres:5432\//)
      expect(resolved.REDIS_URL).toBe('redis://redis:6379')
      expect(resolved.SMTP_URL).toBe('smtp://mailpit:1025')
    },
  )

  it('publishes the API where it listens and checks its health there', () => {
    const api = compose.services.api
    const config = loadConfig(resolveEnv(api?.environment ?? {}))
    expect(config.host).toBe('0.0.0.0')
    expect(api?.ports).toContain(`${config.port}:${config.port}`)
    expect(api?.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${config.port}/readyz`)
  })

  it.each(backgroundRoles)(
    'checks the health of %s on its metrics listener, which stays off the host',
    (name) => {
      const service = compose.services[name]
      const metricsPort = service?.environment?.METRICS_PORT
      expect(metricsPort, `${name} sets no METRICS_PORT`).toMatch(/^\d+$/)
      expect(service?.healthcheck?.disable).not.toBe(true)
      expect(service?.healthcheck?.test?.join(' ')).toContain(
        `http://127.0.0.1:${metricsPort}/healthz`,
      )
      expect(service?.ports ?? []).toEqual([])
      for (const [other, { ports }] of Object.entries(compose.services)) {
        for (const port of ports ?? []) {
          expect(port, `${other} publishes the metrics port`).not.toMatch(
            new RegExp(`:${metricsPort}$`),
          )
        }
      }
    },
  )

  it('pins every image it pulls to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image === 'paperboy:local') continue
      const image = service.image ?? ''
      const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : ''
      expect(tag, `${name} uses ${image || 'no image'}`).toMatch(/^v?\d+\.\d+/)
    }
  })

  it('builds the app image once and runs every role from it', () => {
    const builders = Object.entries(compose.services).filter(([, service]) => service.build)
    expect(builders.map(([name]) => name)).toEqual(['migrate'])
    expect(builders[0]?.[1].image).toBe('paperboy:local')
    for (const name of appServices) expect(compose.services[name]?.image).toBe('paperboy:local')
    for (const name of ['api', 'worker', 'scheduler'])
      expect(compose.services[name]?.pull_policy).toBe('never')
  })

  it('takes the secrets from a git-ignored .env that .env.example documents', () => {
    for (const name of appServices) {
      const environment = compose.services[name]?.environment ?? {}
      // `:?` refuses to start when .env lacks it, rather than signing links with a blank key.
      expect(environment.APP_SECRET).toMatch(/^\$\{APP_SECRET:\?[^}]+\}$/)
      expect(environment.ADMIN_TOKEN).toMatch(/^\$\{ADMIN_TOKEN:-\}$/)
      expect(environment.METRICS_TOKEN).toMatch(/^\$\{METRICS_TOKEN:-\}$/)
    }
    const interpolated = new Set([...composeText.matchAll(/\$\{(\w+)/g)].map((m) => m[1]))
    for (const name of interpolated) expect(envExample).toMatch(new RegExp(`^${name}=`, 'm'))
    expect(gitignore.split('\n')).toContain('.env')
  })

  it('builds the app from a multi-stage Dockerfile that runs as a non-root user with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK /m)
    expect(dockerfile).toMatch(/\/healthz/)
    for (const dir of ['bin', 'services', 'templates', 'migrations'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`)
  })
})
