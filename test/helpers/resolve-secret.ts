// One of several processes starting together on fresh DATA_DIRs: says "ready", waits for a
// line on stdin (so that every process starts at once), then resolves the app secret of each
// directory given as an argument and prints one JSON line per directory.
import { once } from 'node:events'
import { resolveAppSecret } from '../../services/secrets.js'

const dirs = process.argv.slice(2)
process.stdout.write('ready\n')
await once(process.stdin, 'data')
for (const dir of dirs) {
  try {
    process.stdout.write(`${JSON.stringify({ dir, secret: resolveAppSecret(undefined, dir) })}\n`)
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ dir, error: (error as Error).message })}\n`)
  }
}
process.stdin.destroy()
