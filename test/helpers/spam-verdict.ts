import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** One rule (SpamAssassin) or symbol (rspamd) that fired, with what it added to the score. */
export interface FiredRule {
  readonly name: string
  readonly score: number
}

/** What a spam filter made of one message. */
export interface SpamVerdict {
  readonly filter: string
  readonly score: number
  /** rspamd's action ("no action", "add header", "reject", …); SpamAssassin has none. */
  readonly action?: string
  readonly rules: readonly FiredRule[]
}

/** One line per verdict, rules strongest first: what the test prints for every email it judges. */
export function describeVerdict(email: string, verdict: SpamVerdict): string {
  const rules = [...verdict.rules]
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .map((r) => `${r.name}=${r.score}`)
    .join(' ')
  const action = verdict.action === undefined ? '' : `, action "${verdict.action}"`
  return `${verdict.filter} on the ${email}: score ${verdict.score}${action}; rules: ${rules || '(none)'}`
}

/**
 * Fails, saying how to install, when a filter's command is missing. Never a skip: a suite that
 * quietly stops judging deliverability looks the same as one that passes.
 */
export function requireCommand(command: string): void {
  const found = (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
  if (!found) {
    throw new Error(
      `${command} is not installed, and the deliverability test needs it: apt-get install -y spamassassin rspamd`,
    )
  }
}
