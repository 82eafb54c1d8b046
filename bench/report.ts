import { existsSync, readFileSync, writeFileSync } from 'node:fs'

// Every scenario (match, render, deliver, …) reports through here: a table on stdout and an
// entry in bench/results.json, merged by scenario name so that scenarios run separately (or
// written by someone else) accumulate in one file.

export type Value = string | number | null

export interface Row {
  /** What was measured, e.g. "percolator: match 1,000 papers". */
  readonly metric: string
  readonly value: Value
  /** Unit of `value`: "ms", "MB", "count", "×" … */
  readonly unit: string
  /** How it was measured or derived (sampled, extrapolated, …). */
  readonly note?: string
}

const RESULTS = new URL('./results.json', import.meta.url)

function formatValue(value: Value): string {
  if (value === null) return '—'
  if (typeof value === 'string') return value
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

export function printTable(title: string, rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.metric, formatValue(r.value), r.unit, r.note ?? ''])
  const widths = [0, 1, 2].map((c) => Math.max(...cells.map((row) => (row[c] as string).length)))
  const line = (row: string[]) =>
    [
      (row[0] as string).padEnd(widths[0] as number),
      (row[1] as string).padStart(widths[1] as number),
      (row[2] as string).padEnd(widths[2] as number),
      row[3],
    ]
      .join('  ')
      .trimEnd()
  console.log(`\n== ${title} ==`)
  for (const row of cells) console.log(line(row))
}

interface ResultsFile {
  scenarios: Record<string, { recordedAt: string; rows: Row[] }>
}

/** Prints a scenario's rows and stores them in bench/results.json under its name. */
export function recordScenario(name: string, rows: readonly Row[]): void {
  printTable(name, rows)
  const file: ResultsFile = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as ResultsFile)
    : { scenarios: {} }
  file.scenarios[name] = { recordedAt: new Date().toISOString(), rows: [...rows] }
  writeFileSync(RESULTS, `${JSON.stringify(file, null, 2)}\n`)
}
