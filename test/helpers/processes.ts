import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A process the test started, with what it printed so far. */
export interface Spawned {
  readonly child: ChildProcess
  readonly pid: number
  stdout(): string
  stderr(): string
  /** Its exit status (null when killed by a signal). */
  readonly exited: Promise<number | null>
}

const running = new Set<Spawned>()

/** The environment a child gets: this one without anything that would point it elsewhere. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of [
    'DATABASE_URL',
    'SMTP_URL',
    'REDIS_URL',
    'QUEUE_PREFIX',
    'DATA_DIR',
    'PORT',
    'APP_SECRET',
    'ADMIN_TOKEN',
  ]) {
    delete env[name]
  }
  return { ...env, ...extra }
}

/** Runs `node <args>` from the project root; every such process is killed by killAll(). */
export function spawnNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Spawned {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString()
  })
  if (input !== undefined) child.stdin.end(input)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const spawned: Spawned = {
    child,
    pid: child.pid ?? 0,
    stdout: () => out,
    stderr: () => err,
    exited,
  }
  running.add(spawned)
  void exited.then(() => running.delete(spawned))
  return spawned
}

/** `paperboy …` as a user runs it. */
export function spawnPaperboy(args: readonly string[], env: NodeJS.ProcessEnv, input?: string) {
  return spawnNode(['bin/paperboy.js', ...args], env, input)
}

/** Runs `paperboy …` to the end (within `timeoutMs`) and returns what it printed. */
export async function runPaperboy(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const spawned = spawnPaperboy(args, env, options.input)
  const code = await within(spawned.exited, options.timeoutMs ?? 60_000, () => {
    spawned.child.kill('SIGKILL')
    return new Error(
      `paperboy ${args.join(' ')} did not exit; it printed:\n${spawned.stdout()}${spawned.stderr()}`,
    )
  })
  return { code, out: spawned.stdout().trim(), err: spawned.stderr().trim() }
}

/** Resolves with the first line of stdout `match` accepts, or fails after `timeoutMs`. */
export async function lineFrom(
  spawned: Spawned,
  match: (line: string) => boolean,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const line = spawned.stdout().split('\n').find(match)
    if (line !== undefined) return line
    if (spawned.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `no such line from pid ${spawned.pid}; it printed:\n${spawned.stdout()}${spawned.stderr()}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Kills (SIGKILL) every process still running and waits for each to be gone. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map((spawned) => {
      spawned.child.kill('SIGKILL')
      return spawned.exited
    }),
  )
}

async function within<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
