/**
 * The value of the sample `name` whose labels include `labels` in a Prometheus text exposition
 * (whatever the label order), or undefined when there is none.
 */
export function sampleValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    const parts = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!parts || parts[1] !== name) continue
    const found = new Map(
      [...(parts[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    )
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) {
      return Number(parts[3])
    }
  }
  return undefined
}

/** Every metric name the exposition declares (its `# TYPE` lines). */
export function metricNames(exposition: string): string[] {
  return [...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '')
}
