import { ELLIPSIS } from './highlight.js'

/** Longer subjects are cut off in inbox lists anyway, and some clients truncate the header. */
export const MAX_SUBJECT_LENGTH = 100

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const code = text.charCodeAt(max - 2)
  const end = code >= 0xd800 && code <= 0xdbff ? max - 2 : max - 1
  return `${text.slice(0, Math.max(0, end)).trimEnd()}${ELLIPSIS}`
}

/**
 * "12 new papers on diffusion, AI safety & alignment and 2 more": the count, then as many
 * group names (best first) as fit in MAX_SUBJECT_LENGTH characters, then how many were left out.
 */
export function digestSubject(total: number, groupNames: readonly string[]): string {
  const count = `${total} new paper${total === 1 ? '' : 's'}`
  // Names are single-line already in practice; a stray line break must not split the header.
  const names = groupNames.map((n) => n.replace(/\s+/gu, ' ').trim()).filter((n) => n !== '')
  if (names.length === 0) return count
  for (let shown = names.length; shown >= 1; shown--) {
    const rest = names.length - shown
    const subject =
      rest === 0
        ? `${count} on ${list(names)}`
        : `${count} on ${names.slice(0, shown).join(', ')} and ${rest} more`
    if (subject.length <= MAX_SUBJECT_LENGTH) return subject
  }
  // Even one name is too long: shorten it rather than say nothing about what the papers are on.
  const rest = names.length - 1
  const tail = rest === 0 ? '' : ` and ${rest} more`
  const room = MAX_SUBJECT_LENGTH - `${count} on `.length - tail.length
  return `${count} on ${clip(names[0] as string, room)}${tail}`
}
