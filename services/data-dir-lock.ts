import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * The embedded database belongs to one process: PGlite has no lock of its own, and two
 * processes writing one directory lose data. DATA_DIR/pglite.lock names the process that
 * holds it; whoever opens PGlite takes this lock first, and a live holder is never overruled.
 */
export const LOCK_FILE = 'pglite.lock'

export interface LockHolder {
  readonly pid: number
  /** What the holder is, shown to whoever is refused: `paperboy serve`, `paperboy ingest`. */
  readonly command: string
  /** The kernel's start time of the process (Linux), so a reused pid is not taken for the holder. */
  readonly processStart?: string | undefined
  /** Tells this acquisition apart from any other by the same pid. */
  readonly nonce: string
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dataDir} is in use by ${holder.command} (pid ${holder.pid}); stop it or use another DATA_DIR`,
    )
  }
}

export interface DataDirLock {
  readonly holder: LockHolder
  /** Idempotent; also done when the process exits without releasing. */
  release(): void
}

/** Lock files this process holds, with the nonce it wrote in each. */
const heldHere = new Map<string, string>()

/** A lock file that cannot be parsed is left alone this long: it may still be being written. */
const UNREADABLE_GRACE_MS = 2_000

/**
 * Takes DATA_DIR's lock for this process, or throws DataDirInUseError naming the live holder.
 * A lock left by a process that is gone is taken over; two processes taking over the same
 * stale lock at once cannot both win.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<DataDirLock> {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, LOCK_FILE)
  const me: LockHolder = {
    pid: process.pid,
    command,
    processStart: processStartOf(process.pid),
    nonce: randomBytes(8).toString('hex'),
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusively(file, me)) return holding(file, me)
    const found = readLock(file)
    if (found.state === 'missing') continue
    if (found.state === 'held') {
      if (isAlive(found.holder, file)) throw new DataDirInUseError(dataDir, found.holder)
    } else if (Date.now() - found.modifiedAt < UNREADABLE_GRACE_MS) {
      await sleep(50)
      continue
    }
    // Stale: removed under a second lock, and only if it is still the very file judged stale,
    // so a lock another process has just taken over is never removed.
    await underTakeoverGuard(file, me, () => removeIfUnchanged(file, found.raw))
  }
  throw new Error(`${join(dataDir, LOCK_FILE)} keeps changing; try again`)
}

/** The live process holding DATA_DIR, if any. */
export function liveHolderOf(dataDir: string): LockHolder | undefined {
  const file = join(resolve(dataDir), LOCK_FILE)
  const found = readLock(file)
  return found.state === 'held' && isAlive(found.holder, file) ? found.holder : undefined
}

/**
 * Whether the process a file names is still the one that wrote it. Pids are judged in this
 * process's pid namespace: processes in two containers sharing one DATA_DIR cannot see each
 * other (such deployments use PostgreSQL).
 */
export function isAlive(holder: { pid: number; processStart?: string | undefined }, file = '') {
  const { pid } = holder
  // kill(0) and negative pids address process groups, never one process.
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return heldHere.has(file)
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const start = processStartOf(pid)
  return !(holder.processStart && start && start !== holder.processStart)
}

function holding(file: string, me: LockHolder): DataDirLock {
  heldHere.set(file, me.nonce)
  const release = () => {
    if (heldHere.get(file) !== me.nonce) return
    heldHere.delete(file)
    process.off('exit', release)
    const found = readLock(file)
    if (found.state === 'held' && found.holder.nonce === me.nonce)
      removeIfUnchanged(file, found.raw)
  }
  process.once('exit', release)
  return { holder: me, release }
}

/**
 * Creates `file` with the holder's record, failing if it exists. The record is written to a
 * private file first and hard-linked into place, so no reader ever sees it half-written.
 */
function createExclusively(file: string, holder: LockHolder): boolean {
  const content = JSON.stringify(holder)
  const draft = `${file}.${holder.pid}.${holder.nonce}`
  writeFileSync(draft, content)
  try {
    linkSync(draft, file)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    // A file system without hard links: an exclusive create, briefly empty (see the grace above).
    try {
      writeFileSync(file, content, { flag: 'wx' })
      return true
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw fallback
    }
  } finally {
    unlinkSync(draft)
  }
}

type LockState =
  | { state: 'missing' }
  | { state: 'held'; holder: LockHolder; raw: string }
  | { state: 'unreadable'; raw: string; modifiedAt: number }

function readLock(file: string): LockState {
  let raw: string
  let modifiedAt: number
  try {
    raw = readFileSync(file, 'utf8')
    modifiedAt = statSync(file).mtimeMs
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
    throw error
  }
  try {
    const holder = JSON.parse(raw) as LockHolder
    if (typeof holder.pid === 'number' && typeof holder.command === 'string') {
      return { state: 'held', holder, raw }
    }
  } catch {
    // Falls through to unreadable.
  }
  return { state: 'unreadable', raw, modifiedAt }
}

function removeIfUnchanged(file: string, raw: string): void {
  try {
    if (readFileSync(file, 'utf8') === raw) unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** Runs `action` while holding `<lock>.takeover`, which is held for microseconds at a time. */
async function underTakeoverGuard(file: string, me: LockHolder, action: () => void) {
  const guard = `${file}.takeover`
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createExclusively(guard, me)) {
      try {
        action()
      } finally {
        removeIfUnchanged(guard, JSON.stringify(me))
      }
      return
    }
    const found = readLock(guard)
    // A guard whose holder died mid-takeover would block every later start.
    if (found.state === 'held' && !isAlive(found.holder, guard)) removeIfUnchanged(guard, found.raw)
    else await sleep(10)
  }
  throw new Error(`${guard} is held too long; remove it if no paperboy process is running`)
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}
