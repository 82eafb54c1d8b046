import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, useCliEnvironment } from '../helpers/cli.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, uniquePrefix } from '../helpers/runtime.js'

// `paperboy topics` goes through the same use case as the admin API: the same checks, the
// same refusals, one line each, and an exit status a script can test.

const prefix = uniquePrefix('topics-cli')
let database: TestDatabase
let workDir: string

beforeAll(async () => {
  database = await createTestDatabase('topics_cli')
  workDir = await mkdtemp(join(tmpdir(), 'paperboy-topics-cli-'))
  useCliEnvironment({ database, queuePrefix: prefix, dataDir: workDir })
  expect((await runCli('migrate')).code).toBe(0)
})

afterAll(async () => {
  await clearPrefix(prefix)
  await database?.drop()
})

describe('paperboy topics', () => {
  it('lists the topics with their lines, trending as built in', async () => {
    const result = await runCli('topics', 'list')
    expect(result.code).toBe(0)
    expect(result.out.split('\n').slice(0, 3)).toEqual([
      'trending: Trending (built in)',
      'ai-safety: AI safety & alignment (10 line(s))',
      '    alignment AND (safety OR "language model" OR llm OR agent)',
    ])
  })

  it('adds a topic from --line options', async () => {
    const result = await runCli(
      'topics',
      'add',
      '--slug',
      'soft-robots',
      '--name',
      'Soft robots',
      '--line',
      'soft robot*',
      '--line',
      'category:cs.RO AND actuator*',
    )
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toBe(
      'added soft-robots: Soft robots (2 line(s))\n    soft robot*\n    category:cs.RO AND actuator*',
    )
    expect((await runCli('topics', 'list')).out).toContain('soft-robots: Soft robots (2 line(s))')
  })

  it('refuses bad input in one line, naming the line and why, and changes nothing', async () => {
    const badLine = await runCli(
      'topics',
      'add',
      '--slug',
      'swarms',
      '--name',
      'Swarms',
      '--line',
      'swarm*',
      '--line',
      'drone AND (',
    )
    expect(badLine.code).toBe(1)
    expect(badLine.err).toMatch(/^paperboy: interests: line 2 \("drone AND \("\): [^\n]+$/)
    const badSlug = await runCli(
      'topics',
      'add',
      '--slug',
      'Swarms!',
      '--name',
      'S',
      '--line',
      'swarm*',
    )
    expect(badSlug.code).toBe(1)
    expect(badSlug.err).toBe(
      'paperboy: slug: must be lower-case letters, digits and single hyphens, such as robotics or ml-theory, at most 40 characters',
    )
    const taken = await runCli(
      'topics',
      'add',
      '--slug',
      'robotics',
      '--name',
      'R',
      '--line',
      'robot*',
    )
    expect(taken).toMatchObject({
      code: 1,
      err: 'paperboy: topic "robotics" already exists; edit it instead',
    })
    expect((await runCli('topics', 'list')).out).not.toContain('swarms')

    expect(await runCli('topics', 'add', '--slug', 'x', '--line', 'x')).toMatchObject({
      code: 2,
      err: 'paperboy: topics add needs --name NAME',
    })
    expect((await runCli('topics', 'rename')).code).toBe(2)
  })

  it('edits a topic with lines read from a file', async () => {
    const file = join(workDir, 'lines.txt')
    await writeFile(file, 'soft robot*\n\n  soft actuator*\n')
    const result = await runCli(
      'topics',
      'edit',
      '--slug',
      'soft-robots',
      '--name',
      'Soft robotics',
      '--lines-from',
      file,
    )
    expect(result.code).toBe(0)
    expect(result.out).toBe(
      'edited soft-robots: Soft robotics (2 line(s))\n    soft robot*\n    soft actuator*',
    )
    const missing = await runCli(
      'topics',
      'edit',
      '--slug',
      'soft-robots',
      '--lines-from',
      join(workDir, 'nope'),
    )
    expect(missing).toMatchObject({
      code: 1,
      err: `paperboy: cannot read ${join(workDir, 'nope')}: no such file`,
    })
  })

  it('retires a topic, but never trending', async () => {
    const result = await runCli('topics', 'retire', '--slug', 'soft-robots')
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/^retired soft-robots: Soft robotics \(retired \d{4}-\d{2}-\d{2}\)/)
    expect((await runCli('topics', 'list')).out).toMatch(/soft-robots: Soft robotics \(retired /)
    expect(await runCli('topics', 'edit', '--slug', 'soft-robots', '--name', 'Back')).toMatchObject(
      {
        code: 1,
        err: 'paperboy: topic "soft-robots" is retired; it can no longer be changed',
      },
    )
    expect(await runCli('topics', 'retire', '--slug', 'trending')).toMatchObject({
      code: 1,
      err: 'paperboy: topic "trending" is built in (computed, not matched): it cannot be edited or retired',
    })
    expect(await runCli('topics', 'retire', '--slug', 'no-such')).toMatchObject({
      code: 1,
      err: 'paperboy: no topic "no-such"',
    })
  })
})
