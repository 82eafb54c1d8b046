// A process of its own that takes DATA_DIR's lock as `paperboy serve` does, and keeps it until
// killed:   node --import tsx test/helpers/hold-data-dir.ts DATA_DIR [QUEUE_PREFIX REDIS_URL]
// With a prefix and a Redis URL it also writes server.json, as a server that never takes
// work would. It prints one JSON line: {"held":true} or {"held":false,"error":"…"}.
// START_AT (milliseconds since the epoch) makes several of them try at the same moment.
import { setTimeout as sleep } from 'node:timers/promises'
import { lockDataDir } from '../../services/data-dir-lock.js'
import { announceEmbeddedServer } from '../../services/embedded-server.js'

const [dataDir = '', queuePrefix, redisUrl] = process.argv.slice(2)
await sleep(Math.max(0, Number(process.env.START_AT ?? 0) - Date.now()))
try {
  await lockDataDir(dataDir, 'paperboy serve')
  if (queuePrefix && redisUrl) {
    announceEmbeddedServer(dataDir, { pid: process.pid, queuePrefix, redisUrl })
  }
  console.log(JSON.stringify({ held: true }))
  setInterval(() => {}, 60_000)
} catch (error) {
  console.log(JSON.stringify({ held: false, error: (error as Error).message }))
}
