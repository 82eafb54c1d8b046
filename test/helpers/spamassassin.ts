import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FiredRule, SpamVerdict } from './spam-verdict.js'

// Headers of our own (SpamAssassin prefixes them with X-Spam-), because X-Spam-Status names
// the rules but not what each one scored.
const RULES = 'Judged-Rules'
const SCORE = 'Judged-Score'

/**
 * What `spamassassin -t -L` (local rules only: no DNS blocklists, no network) makes of one
 * message, as an operator would run it on a message they received. It runs with an empty home
 * directory of its own, so nobody's Bayes data or preferences on this machine sway the score.
 */
export async function judgeWithSpamAssassin(raw: Buffer): Promise<SpamVerdict> {
  const home = await mkdtemp(join(tmpdir(), 'paperboy-spamassassin-'))
  try {
    const output = await run(
      'spamassassin',
      [
        '-t',
        '-L',
        '-x',
        `--cf=add_header all ${RULES} _TESTSSCORES(,)_`,
        `--cf=add_header all ${SCORE} _SCORE_`,
      ],
      raw,
      { ...process.env, HOME: home },
    )
    return {
      filter: 'SpamAssassin',
      score: Number(headerOf(output, `X-Spam-${SCORE}`)),
      rules: parseRules(headerOf(output, `X-Spam-${RULES}`)),
    }
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}

/** `NAME=0.7,OTHER=-0.0` (SpamAssassin's _TESTSSCORES_) as rules. */
function parseRules(list: string): FiredRule[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '' && item !== 'none')
    .map((item) => {
      const [name = '', score = ''] = item.split('=')
      return { name, score: Number(score) }
    })
}

function headerOf(message: string, name: string): string {
  const head = message.split(/\r?\n\r?\n/, 1)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const prefix = `${name.toLowerCase()}:`
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(prefix))
  if (line === undefined) throw new Error(`spamassassin added no ${name} header`)
  return line.slice(prefix.length).trim()
}

function run(command: string, args: string[], input: Buffer, env: NodeJS.ProcessEnv) {
  return new Promise<string>((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${error.message} ${stderr}`.trim()))
        else resolve(stdout)
      },
    )
    child.stdin?.end(input)
  })
}
