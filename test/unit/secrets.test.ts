import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveAppSecret } from '../../services/secrets.js'
import { runPaperboy } from '../helpers/processes.js'

const CHILD = fileURLToPath(new URL('../helpers/resolve-secret.ts', import.meta.url))

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'paperboy-secret-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function startResolver(dirs: readonly string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, ...dirs],
    { stdio: 'pipe' },
  )
  let output = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const exited = once(child, 'exit')
  return {
    child,
    ready: async () => {
      while (!output.startsWith('ready\n')) {
        if (child.exitCode !== null) throw new Error(`resolver exited early: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    results: async () => {
      const [code] = await exited
      expect(code, stderr).toBe(0)
      return output
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { dir: string; secret?: string; error?: string })
    },
  }
}

describe('the generated app secret', () => {
  it('is one and the same for processes that start together on a fresh DATA_DIR', async () => {
    const dirs = Array.from({ length: 150 }, (_, i) => join(root, `race-${i}`))
    const resolvers = Array.from({ length: 6 }, () => startResolver(dirs))
    for (const resolver of resolvers) await resolver.ready()
    for (const resolver of resolvers) resolver.child.stdin.write('go\n')
    const results = (await Promise.all(resolvers.map((r) => r.results()))).flat()

    expect(results.filter((r) => r.error)).toEqual([])
    expect(results).toHaveLength(dirs.length * resolvers.length)
    for (const dir of dirs) {
      const secrets = new Set(results.filter((r) => r.dir === dir).map((r) => r.secret))
      expect([...secrets], dir).toHaveLength(1)
      expect([...secrets][0]?.length).toBeGreaterThanOrEqual(32)
    }
  }, 60_000)

  it('is kept readable by its owner only', async () => {
    const dir = join(root, 'mode')
    const secret = resolveAppSecret(undefined, dir)
    expect((await stat(join(dir, 'app-secret'))).mode & 0o777).toBe(0o600)
    expect(resolveAppSecret(undefined, dir)).toBe(secret)
  })

  it('is refused, naming the file, when the file holds a short or empty secret', async () => {
    for (const content of ['', '\n', 'too-short-for-a-key\n']) {
      const dir = await mkdtemp(join(root, 'short-'))
      const file = join(dir, 'app-secret')
      await writeFile(file, content)
      expect(() => resolveAppSecret(undefined, dir)).toThrow(
        `${file}: the app secret is ${content.trim().length} characters long, it must be at least 32`,
      )
    }
  })

  it('stops `paperboy serve` with one line naming the file, before anything is opened', async () => {
    const dir = await mkdtemp(join(root, 'serve-'))
    await writeFile(join(dir, 'app-secret'), '')
    const { APP_SECRET: _unset, ...env } = process.env
    const run = await runPaperboy(['serve'], { ...env, DATA_DIR: dir, PORT: '0' })
    expect(run.code).not.toBe(0)
    expect(run.err).toBe(
      `paperboy: ${join(dir, 'app-secret')}: the app secret is 0 characters long, it must be at least 32; delete the file to have a new one generated, or set APP_SECRET`,
    )
    // No embedded database was created next to it.
    expect(await readdir(dir)).toEqual(['app-secret'])
  })

  it('is refused when APP_SECRET is shorter than 32 characters', () => {
    expect(() => resolveAppSecret('short', root)).toThrow(/^APP_SECRET: .*at least 32/)
    expect(resolveAppSecret(` ${'k'.repeat(32)} `, root)).toBe('k'.repeat(32))
  })
})
