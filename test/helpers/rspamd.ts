import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './processes.js'
import type { SpamVerdict } from './spam-verdict.js'

/** A DNS answer rspamd gets without asking any server (its `dns.fake_records`). */
export interface DnsRecord {
  readonly name: string
  readonly type: 'a' | 'mx' | 'txt' | 'ptr'
  readonly replies: readonly string[]
}

/** What the receiving MTA knows about the SMTP session and hands to rspamd with the message. */
export interface SmtpEnvelope {
  readonly ip: string
  readonly helo: string
  /** The sending host's name, as the MTA resolved it from the IP. */
  readonly hostname: string
  readonly mailFrom: string
  readonly rcptTo: string
}

export interface Rspamd {
  judge(raw: Buffer, envelope: SmtpEnvelope): Promise<SpamVerdict>
  stop(): Promise<void>
}

// Modules that would ask the internet (DNS blocklists, fuzzy hashes, rule and map updates).
// Disabled outright rather than left to time out.
const NETWORK_MODULES = [
  'asn',
  'dcc',
  'emails',
  'fuzzy_check',
  'rbl',
  'rspamd_update',
  'surbl',
  'url_redirector',
]

const STARTUP_TIMEOUT_MS = 45_000

// rspamd compiles its 9,600 public suffixes (to find URLs) before it listens, and its regular
// expressions after, with Hyperscan: seconds of CPU each unless the compiled forms are cached.
// The cache is kept between runs, and one process at a time starts an rspamd, so that two test
// files starting together compile once.
const CACHE_DIR = join(tmpdir(), 'paperboy-rspamd-cache')
const STARTUP_LOCK = `${CACHE_DIR}.lock`
// A lock older than this was left by a run that died while holding it.
const STALE_LOCK_MS = 2 * STARTUP_TIMEOUT_MS

/**
 * A private rspamd with Debian's stock rules and scores, listening on 127.0.0.1 only, with its
 * configuration, databases and log in a temporary directory. Every DNS question it asks is
 * answered from `dns` or fails at once (its one nameserver is a local port nobody listens on),
 * so a scan never waits on the network and SPF, DKIM and DMARC are checked against the records
 * given, as a receiver would check them against the sender's DNS.
 */
export async function startRspamd(options: { dns: readonly DnsRecord[] }): Promise<Rspamd> {
  await mkdir(CACHE_DIR, { recursive: true })
  await lock(STARTUP_LOCK)
  try {
    return await startUnlocked(options.dns)
  } finally {
    await rm(STARTUP_LOCK, { recursive: true, force: true })
  }
}

async function startUnlocked(dns: readonly DnsRecord[]): Promise<Rspamd> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-rspamd-'))
  const [port, deadNameserverPort] = [await freePort(), await freePort()]
  await writeConfig(dir, port, deadNameserverPort, dns)
  const child = spawn(
    'rspamd',
    [
      '--no-fork',
      // Runs as whoever runs the tests; rspamd otherwise refuses to run its workers as root.
      '--insecure',
      '-c',
      join(dir, 'rspamd.conf'),
      ...['LOCAL_CONFDIR', 'RUNDIR', 'LOGDIR'].flatMap((name) => ['--var', `${name}=${dir}`]),
      '--var',
      `DBDIR=${join(dir, 'db')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const stop = async () => {
    await stopProcess(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForPort(port, child)
  } catch (error) {
    const log = await readFile(join(dir, 'rspamd.log'), 'utf8').catch(() => '')
    await stop()
    throw new Error(
      `${(error as Error).message}\n${stderr}\n${log.split('\n').slice(-20).join('\n')}`,
    )
  }
  return {
    async judge(raw, envelope) {
      const output = await runRspamc(
        [
          `--connect=127.0.0.1:${port}`,
          `--ip=${envelope.ip}`,
          `--helo=${envelope.helo}`,
          `--hostname=${envelope.hostname}`,
          `--from=${envelope.mailFrom}`,
          `--rcpt=${envelope.rcptTo}`,
          '--json',
          'symbols',
        ],
        raw,
      )
      return verdictOf(output)
    },
    stop,
  }
}

async function writeConfig(
  dir: string,
  port: number,
  deadNameserverPort: number,
  dns: readonly DnsRecord[],
): Promise<void> {
  await mkdir(join(dir, 'local.d'))
  await mkdir(join(dir, 'db'))
  // The stock top-level file, minus the proxy, controller and fuzzy workers, bound to 127.0.0.1.
  await writeFile(
    join(dir, 'rspamd.conf'),
    `.include "$CONFDIR/common.conf"
options {
  pidfile = "$RUNDIR/rspamd.pid";
  .include "$CONFDIR/options.inc"
  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/options.inc"
}
logging {
  type = "file";
  filename = "$LOGDIR/rspamd.log";
  level = "warning";
}
worker "normal" {
  bind_socket = "127.0.0.1:${port}";
  .include "$CONFDIR/worker-normal.inc"
  count = 1;
}
`,
  )
  const records = dns.map(
    (r) =>
      `{ name = ${JSON.stringify(r.name)}, type = ${JSON.stringify(r.type)}, replies = ${JSON.stringify(r.replies)} }`,
  )
  await writeFile(
    join(dir, 'local.d', 'options.inc'),
    `hs_cache_dir = ${JSON.stringify(CACHE_DIR)};
dns {
  nameserver = ["127.0.0.1:${deadNameserverPort}"];
  timeout = 0.2s;
  retransmits = 1;
  fake_records = [
    ${records.join(',\n    ')}
  ];
}
`,
  )
  for (const module of NETWORK_MODULES) {
    await writeFile(join(dir, 'local.d', `${module}.conf`), 'enabled = false;\n')
  }
}

interface RspamdReply {
  score: number
  action: string
  symbols?: Record<string, { name: string; score: number }>
}

function verdictOf(json: string): SpamVerdict {
  const reply = JSON.parse(json) as RspamdReply
  return {
    filter: 'rspamd',
    score: Math.round(reply.score * 100) / 100,
    action: reply.action,
    rules: Object.values(reply.symbols ?? {}).map((s) => ({ name: s.name, score: s.score })),
  }
}

function runRspamc(args: string[], input: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'rspamc',
      args,
      { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`rspamc failed: ${error.message} ${stderr}`.trim()))
        else resolve(stdout)
      },
    )
    child.stdin?.end(input)
  })
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rspamd exited with code ${child.exitCode}`)
    if (await accepts(port)) return
    if (Date.now() > deadline) {
      throw new Error(`rspamd did not listen on 127.0.0.1:${port} within ${STARTUP_TIMEOUT_MS} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const killed = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(killed)
}

/** Takes a lock that is a directory (mkdir is atomic), waiting while another process holds it. */
async function lock(path: string): Promise<void> {
  const deadline = Date.now() + STALE_LOCK_MS
  for (;;) {
    try {
      await mkdir(path)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const since = await stat(path).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    )
    if (Date.now() - since > STALE_LOCK_MS || Date.now() > deadline) {
      await rm(path, { recursive: true, force: true })
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
