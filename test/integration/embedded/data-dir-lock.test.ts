import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DataDirInUseError,
  LOCK_FILE,
  liveHolderOf,
  lockDataDir,
} from '../../../services/data-dir-lock.js'
import { openDatabase } from '../../../services/db/client.js'
import { killAll, lineFrom, type Spawned, spawnNode } from '../../helpers/processes.js'

const freshDir = () => mkdtemp(join(tmpdir(), 'paperboy-lock-'))

/** Another process taking the lock, as `paperboy serve` does. */
function holder(dataDir: string, startAt?: number): Spawned {
  return spawnNode(['--import', 'tsx', 'test/helpers/hold-data-dir.ts', dataDir], {
    ...process.env,
    START_AT: String(startAt ?? 0),
  })
}

async function reported(spawned: Spawned): Promise<{ held: boolean; error?: string }> {
  return JSON.parse(await lineFrom(spawned, (line) => line.startsWith('{')))
}

/** The pid of a process that has come and gone. */
async function deadPid(): Promise<number> {
  const gone = spawnNode(['-e', ''], process.env)
  await gone.exited
  return gone.pid
}

afterAll(killAll)

describe('the DATA_DIR lock', () => {
  it('records who holds it, refuses a second taker naming the holder, and is released', async () => {
    const dir = await freshDir()
    const lock = await lockDataDir(dir, 'paperboy ingest')
    const file = join(dir, LOCK_FILE)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'paperboy ingest',
    })
    expect(liveHolderOf(dir)?.pid).toBe(process.pid)

    const refused = await lockDataDir(dir, 'paperboy serve').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(DataDirInUseError)
    expect((refused as Error).message).toBe(
      `${dir} is in use by paperboy ingest (pid ${process.pid}); stop it or use another DATA_DIR`,
    )

    lock.release()
    expect(existsSync(file)).toBe(false)
    expect(liveHolderOf(dir)).toBeUndefined()
    const again = await lockDataDir(dir, 'paperboy serve')
    again.release()
  })

  it('refuses while another live process holds it, and takes it over once that process is gone', async () => {
    const dir = await freshDir()
    const other = holder(dir)
    expect(await reported(other)).toEqual({ held: true })

    const message = `${dir} is in use by paperboy serve (pid ${other.pid}); stop it or use another DATA_DIR`
    await expect(lockDataDir(dir, 'paperboy ingest')).rejects.toThrow(message)
    // Opening the embedded database is refused before anything is written under DATA_DIR.
    await expect(
      openDatabase({ databaseUrl: undefined, dataDir: dir, holder: 'paperboy migrate' }),
    ).rejects.toThrow(message)
    expect(existsSync(join(dir, 'pglite'))).toBe(false)

    // Killed outright: the lock file stays behind, naming a process that is gone.
    other.child.kill('SIGKILL')
    await other.exited
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(other.pid)
    const lock = await lockDataDir(dir, 'paperboy ingest')
    expect(lock.holder.pid).toBe(process.pid)
    expect(liveHolderOf(dir)?.command).toBe('paperboy ingest')
    lock.release()
  }, 60_000)

  it('does not take a reused pid for the holder: a live process that started later is not it', async () => {
    const dir = await freshDir()
    // The parent of this process is alive, but started before the time this lock records.
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid: process.ppid,
        command: 'paperboy serve',
        processStart: '999999999999',
        nonce: 'left-by-an-earlier-boot',
      }),
    )
    expect(liveHolderOf(dir)).toBeUndefined()
    const lock = await lockDataDir(dir, 'paperboy serve')
    lock.release()
  })

  it('lets exactly one of several processes take over the same stale lock at once', async () => {
    const dir = await freshDir()
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: await deadPid(), command: 'paperboy serve', nonce: 'stale' }),
    )
    // All try at the same moment, once every one of them has started.
    const startAt = Date.now() + 5_000
    const contenders = Array.from({ length: 6 }, () => holder(dir, startAt))
    const outcomes = await Promise.all(contenders.map(reported))
    const winners = contenders.filter((_, i) => outcomes[i]?.held)
    expect(winners).toHaveLength(1)
    const winner = winners[0] as Spawned
    for (const outcome of outcomes.filter((o) => !o.held)) {
      expect(outcome.error).toBe(
        `${dir} is in use by paperboy serve (pid ${winner.pid}); stop it or use another DATA_DIR`,
      )
    }
    expect(liveHolderOf(dir)?.pid).toBe(winner.pid)
  }, 60_000)
})
