import { runDeliver } from './deliver.js'
import { runMatch } from './match.js'
import { runPreview } from './preview.js'
import { renderScenario } from './render.js'
import { recordScenario } from './report.js'

// `npm run bench [-- --quick] [-- --only <scenario>[,<scenario>]]`: runs the benchmark
// scenarios, prints a table per scenario and merges the figures into bench/results.json.
// Node runs with the flags the Dockerfile gives the service (a larger young generation:
// matching and sending allocate per match and per email), so the shipped paths are measured
// as they run; both sides of every ratio share the process and its flags.

export interface ScenarioOptions {
  readonly quick: boolean
}

const SCENARIOS: Record<string, (options: ScenarioOptions) => Promise<void>> = {
  match: runMatch,
  render: async (options) => {
    const rows = await renderScenario(options)
    recordScenario(
      options.quick ? 'render (quick)' : 'render',
      rows.map((r) => ({
        metric: r.name,
        value: r.value,
        unit: r.unit,
        ...(r.note ? { note: r.note } : {}),
      })),
    )
  },
  deliver: runDeliver,
  preview: runPreview,
}

interface Args {
  quick: boolean
  only: string[]
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--quick') args.quick = true
    else if (arg === '--only') args.only.push(...(argv[++i] ?? '').split(','))
    else if (arg.startsWith('--only=')) args.only.push(...arg.slice('--only='.length).split(','))
    else throw new Error(`unknown argument ${arg}: use --quick and --only <scenario>`)
  }
  return args
}

const args = parseArgs(process.argv.slice(2))
const names = args.only.length > 0 ? args.only : Object.keys(SCENARIOS)
for (const name of names) {
  const scenario = SCENARIOS[name]
  if (scenario === undefined) {
    throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`)
  }
  await scenario({ quick: args.quick })
}
// Workers, queues and pools may keep handles open; the run is over.
process.exit(0)
