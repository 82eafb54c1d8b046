import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runMatch } from './match.js'

// `npm run bench [-- --quick] [-- --only <scenario>[,<scenario>]] [-- --node-defaults]`: runs
// the benchmark scenarios, prints a table per scenario and merges the figures into
// bench/results.json.

/**
 * Matching allocates one or two short-lived objects per (subscriber, paper) match; with V8's
 * default 16 MB young generation the scavenges that follow cost more than the matching (4×
 * slower at a million subscribers). The worker should run with this flag, so the benchmark
 * does too, unless asked for --node-defaults. It cannot be set once the process runs, hence
 * the re-run of this file with it.
 */
const YOUNG_GENERATION = '--max-semi-space-size=64'

export interface ScenarioOptions {
  readonly quick: boolean
}

const SCENARIOS: Record<string, (options: ScenarioOptions) => Promise<void>> = {
  match: runMatch,
}

interface Args {
  quick: boolean
  only: string[]
  nodeDefaults: boolean
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: [], nodeDefaults: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--quick') args.quick = true
    else if (arg === '--node-defaults') args.nodeDefaults = true
    else if (arg === '--only') args.only.push(...(argv[++i] ?? '').split(','))
    else if (arg.startsWith('--only=')) args.only.push(...arg.slice('--only='.length).split(','))
    else throw new Error(`unknown argument ${arg}: use --quick, --only <scenario>, --node-defaults`)
  }
  return args
}

async function rerunWithFlag(argv: readonly string[]): Promise<never> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, YOUNG_GENERATION, fileURLToPath(import.meta.url), ...argv],
    { stdio: 'inherit' },
  )
  // Ctrl-C reaches the child too; it drops its database before exiting, so wait for it.
  process.on('SIGINT', () => {})
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  process.exit(code)
}

const argv = process.argv.slice(2)
const args = parseArgs(argv)
if (!args.nodeDefaults && !process.execArgv.includes(YOUNG_GENERATION)) await rerunWithFlag(argv)

const names = args.only.length > 0 ? args.only : Object.keys(SCENARIOS)
for (const name of names) {
  const scenario = SCENARIOS[name]
  if (scenario === undefined) {
    throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`)
  }
  await scenario({ quick: args.quick })
}
