import { runMatch } from './match.js'

// `npm run bench [-- --quick] [-- --only <scenario>]`: runs the benchmark scenarios, prints
// a table per scenario and merges the figures into bench/results.json.

const SCENARIOS: Record<string, (options: { quick: boolean }) => Promise<void>> = {
  match: runMatch,
}

function parseArgs(argv: readonly string[]): { quick: boolean; only: string[] } {
  const only: string[] = []
  let quick = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--quick') quick = true
    else if (arg === '--only') only.push(...(argv[++i] ?? '').split(','))
    else if (arg?.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','))
    else throw new Error(`unknown argument ${arg}; use --quick and --only <scenario>`)
  }
  return { quick, only }
}

const { quick, only } = parseArgs(process.argv.slice(2))
const names = only.length > 0 ? only : Object.keys(SCENARIOS)
for (const name of names) {
  const scenario = SCENARIOS[name]
  if (scenario === undefined)
    throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`)
  await scenario({ quick })
}
