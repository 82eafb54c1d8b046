import { writeFileSync } from 'node:fs'
import { simpleParser } from 'mailparser'
import type { Cluster } from './cluster.js'
import type { Accepted } from './faulty-smtp.js'
import type { WorkSubscriber } from './workload.js'

export interface Tally {
  readonly scenario: string
  readonly subscribers: number
  /** Subscribers with at least one matched paper (and not suppressed): one digest each. */
  readonly expected: number
  /** Digest emails the SMTP server accepted. */
  readonly delivered: number
  /** Digest emails beyond one per subscriber and period, plus papers a subscriber got twice. */
  readonly duplicates: number
  /** Matched papers never delivered and not in a digest recorded `uncertain`. */
  readonly losses: number
  /** Digests recorded `uncertain` (the SMTP server may or may not have them). */
  readonly uncertain: number
  /** Addresses refused with 5xx and suppressed. */
  readonly suppressed: number
  readonly seconds: number
  /** What went wrong, for the assertion message: the first few losses and duplicates. */
  readonly detail: string[]
}

const PAPER_LINK = /https:\/\/arxiv\.org\/abs\/(\d{4}\.\d{4,5})/g

/**
 * Counts, per subscriber, what the SMTP server accepted against what their interests match,
 * excusing only papers the database records as carried by an `uncertain` digest and
 * subscribers it records as suppressed.
 */
export async function tallyScenario(options: {
  scenario: string
  cluster: Cluster
  people: readonly WorkSubscriber[]
  accepted: readonly Accepted[]
  startedAt: number
}): Promise<Tally> {
  const { cluster, people } = options
  const digestsByAddress = new Map<string, string[][]>()
  for (const message of options.accepted) {
    if (!/new papers? on/.test(message.subject)) continue
    const parsed = await simpleParser(message.text)
    const ids = [...(parsed.text ?? '').matchAll(PAPER_LINK)].map((m) => m[1] ?? '')
    const list = digestsByAddress.get(message.to) ?? []
    list.push([...new Set(ids)])
    digestsByAddress.set(message.to, list)
  }
  const uncertainPapers = await cluster.query<{ email: string; paper_id: string }>(
    `SELECT s.email, m.paper_id FROM matches m
     JOIN digests d ON d.id = m.digest_id JOIN subscribers s ON s.id = m.subscriber_id
     WHERE d.status = 'uncertain'`,
  )
  const excused = new Set(uncertainPapers.map((r) => `${r.email} ${r.paper_id}`))
  const [counts] = await cluster.query<{ uncertain: string; suppressed: string }>(
    `SELECT (SELECT count(*) FROM digests WHERE status = 'uncertain') AS uncertain,
            (SELECT count(*) FROM subscribers WHERE status = 'bounced') AS suppressed`,
  )
  const bounced = new Set(
    (
      await cluster.query<{ email: string }>(
        `SELECT email FROM subscribers WHERE status = 'bounced'`,
      )
    ).map((r) => r.email),
  )
  let expected = 0
  let delivered = 0
  let duplicates = 0
  let losses = 0
  const detail: string[] = []
  for (const person of people) {
    const digests = digestsByAddress.get(person.email) ?? []
    delivered += digests.length
    if (bounced.has(person.email)) continue
    if (person.expected.size > 0) expected += 1
    const extraEmails = Math.max(0, digests.length - 1)
    const seen = new Set<string>()
    let repeated = 0
    for (const id of digests.flat()) {
      if (seen.has(id)) repeated += 1
      seen.add(id)
    }
    if (extraEmails + repeated > 0) {
      detail.push(`${person.email}: ${digests.length} digests, ${repeated} papers repeated`)
    }
    duplicates += extraEmails + repeated
    const missing = [...person.expected].filter(
      (id) => !seen.has(id) && !excused.has(`${person.email} ${id}`),
    )
    if (missing.length > 0) detail.push(`${person.email}: never got ${missing.join(', ')}`)
    losses += missing.length
  }
  return {
    scenario: options.scenario,
    subscribers: people.length,
    expected,
    delivered,
    duplicates,
    losses,
    uncertain: Number(counts?.uncertain ?? 0),
    suppressed: Number(counts?.suppressed ?? 0),
    seconds: Math.round((Date.now() - options.startedAt) / 100) / 10,
    detail: detail.slice(0, 10),
  }
}

const HEADER = [
  'scenario',
  'subscribers',
  'emails expected',
  'delivered',
  'duplicates',
  'losses',
  'uncertain',
  'suppressed',
  'time (s)',
]

export function tableOf(tallies: readonly Tally[]): string {
  const rows = tallies.map((t) => [
    t.scenario,
    String(t.subscribers),
    String(t.expected),
    String(t.delivered),
    String(t.duplicates),
    String(t.losses),
    String(t.uncertain),
    String(t.suppressed),
    t.seconds.toFixed(1),
  ])
  return [HEADER, HEADER.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

/** Prints the table, and writes it to FAULTS_REPORT when set (docs/faults.md for the full run). */
export function report(tallies: readonly Tally[], mode: string): void {
  const table = tableOf(tallies)
  process.stdout.write(`\nFault suite (${mode}):\n${table}\n\n`)
  const path = process.env.FAULTS_REPORT
  if (path) {
    const command = `${mode === 'short' ? 'FAULTS=short ' : ''}FAULTS_REPORT=${path} npm run test:faults`
    writeFileSync(
      path,
      `# Delivery under faults (${mode} run)\n\nWritten by \`${command}\` on ${new Date().toISOString().slice(0, 10)} (see the README, "Tests"). Per scenario: subscribers; emails expected (subscribers with matched papers, not suppressed: one digest each); digest emails the SMTP server accepted; duplicates (a second digest for the period, or a paper received twice); losses (a matched paper never received and not carried by a digest recorded \`uncertain\`); digests recorded \`uncertain\`; addresses suppressed after a 550; wall time on a shared 2-core machine.\n\n${table}\n`,
    )
  }
}
