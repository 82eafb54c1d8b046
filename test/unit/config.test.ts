import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../services/config.js'

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'paperboy',
      smtpUrl: undefined,
      mailFrom: 'Paperboy <digest@localhost>',
      mailRatePerSecond: 20,
      dkim: undefined,
      adminToken: undefined,
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
      metricsToken: undefined,
      dataDir: './.data',
      ingestCron: '0 6 * * *',
      ingestSources: ['hf-daily'],
      subscribeRateLimit: 10,
      trustProxy: false,
      logLevel: 'info',
      digestThumbnails: true,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reads the metrics listener: METRICS_HOST defaults to HOST', () => {
    expect(
      loadConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464', METRICS_TOKEN: 'a-metrics-token-1234' }),
    ).toMatchObject({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      metricsToken: 'a-metrics-token-1234',
    })
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '10.0.0.5' })).toMatchObject({
      metricsPort: 0,
      metricsHost: '10.0.0.5',
    })
  })

  it('derives PUBLIC_URL from PORT and drops a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080')
    expect(loadConfig({ PUBLIC_URL: 'https://papers.example.org/' }).publicUrl).toBe(
      'https://papers.example.org',
    )
  })

  it.each([
    [{ PORT: 'eighty' }, /^PORT: must be a number/],
    [{ PORT: '70000' }, /^PORT: must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be a URL starting with postgres:/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must be a URL/],
    [{ SMTP_URL: 'http://mail' }, /^SMTP_URL: must be a URL starting with smtp:/],
    [{ QUEUE_PREFIX: 'a:b' }, /^QUEUE_PREFIX: .*no ":"/],
    [{ MAIL_RATE_PER_SECOND: '0' }, /^MAIL_RATE_PER_SECOND: must be greater than 0/],
    [{ MAIL_FROM: 'a@b\r\nBcc: c@d' }, /^MAIL_FROM: must be one line/],
    [{ INGEST_CRON: 'every day' }, /^INGEST_CRON: must be a cron expression/],
    [{ INGEST_SOURCES: 'hf-daily,twitter' }, /^INGEST_SOURCES: /],
    [{ SUBSCRIBE_RATE_LIMIT: '-1' }, /^SUBSCRIBE_RATE_LIMIT: must be greater than 0/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of/],
    [{ DIGEST_THUMBNAILS: 'no' }, /^DIGEST_THUMBNAILS: must be "on" or "off"/],
    [{ METRICS_PORT: '65536' }, /^METRICS_PORT: must be between 0 and 65535/],
    [{ METRICS_PORT: 'metrics' }, /^METRICS_PORT: must be a number/],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN: must be at least 16 characters/],
    [{ APP_SECRET: 'short' }, /^APP_SECRET: must be at least 32 characters/],
    [{ NODE_ENV: 'production' }, /^APP_SECRET: required when NODE_ENV=production/],
    [
      { DKIM_DOMAIN: 'example.org' },
      /^DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three/,
    ],
  ])('stops on %j with one line naming the variable', (env, message) => {
    try {
      loadConfig(env)
      expect.unreachable('loadConfig accepted a bad value')
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message).not.toContain('\n')
    }
  })

  it('turns digest thumbnails off with DIGEST_THUMBNAILS=off', () => {
    expect(loadConfig({ DIGEST_THUMBNAILS: 'off' }).digestThumbnails).toBe(false)
    expect(loadConfig({ DIGEST_THUMBNAILS: 'on' }).digestThumbnails).toBe(true)
  })

  it('reads TRUST_PROXY the way Fastify takes it', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8')
  })
})

describe('arXiv holidays from the operator', () => {
  it('merges ARXIV_HOLIDAYS and ARXIV_HOLIDAYS_FILE, and names a bad entry', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paperboy-holidays-')), 'holidays.txt')
    writeFileSync(file, '# arXiv 2028\n2028-01-17\n2028-11-23\n')
    expect(
      loadConfig({ ARXIV_HOLIDAYS: '2027-01-18, 2027-07-05', ARXIV_HOLIDAYS_FILE: file })
        .arxivHolidays,
    ).toEqual(['2027-01-18', '2027-07-05', '2028-01-17', '2028-11-23'])
    expect(loadConfig({}).arxivHolidays).toEqual([])
    expect(() => loadConfig({ ARXIV_HOLIDAYS: '2027-13-01' })).toThrow(
      new ConfigError('ARXIV_HOLIDAYS: "2027-13-01" is not a date like 2027-01-18'),
    )
    expect(() => loadConfig({ ARXIV_HOLIDAYS_FILE: `${file}.missing` })).toThrow(
      new ConfigError(`ARXIV_HOLIDAYS_FILE: cannot read ${file}.missing (ENOENT)`),
    )
  })
})
