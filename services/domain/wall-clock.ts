// Wall-clock arithmetic in any IANA time zone with nothing but Intl (no date library): what a
// zone's clock reads at an instant, and the instant at which it reads a given time. Pure.

export const SECOND = 1000
export const HOUR = 3600 * SECOND
export const DAY = 24 * HOUR
/** A wall-clock reading, encoded as if it were UTC: easy to compare and to do day arithmetic on. */
export type WallTime = number

// Building a DateTimeFormat costs far more than using one; a scheduler asks about the same few
// zones over and over.
const formatters = new Map<string, Intl.DateTimeFormat>()

export function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone)
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        // h23: some engines print midnight as "24" with hour12: false.
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw new RangeError(`unknown time zone: ${timezone}`)
    }
    formatters.set(timezone, formatter)
  }
  return formatter
}

/** The wall-clock reading in `timezone` at `instant` (milliseconds are dropped). */
export function wallTime(timezone: string, instant: number): WallTime {
  const fields: Record<string, number> = {}
  for (const part of formatterFor(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  return Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  )
}

/** Local minus UTC at `instant`, in milliseconds (+5:30 for Kolkata). */
function offsetAt(timezone: string, instant: number): number {
  return wallTime(timezone, instant) - Math.floor(instant / SECOND) * SECOND
}

/**
 * The instant at which the clock in `timezone` first reads `wall`; when the clock skips it,
 * the first instant after the skipped stretch.
 */
export function instantOf(timezone: string, wall: WallTime): number {
  // A day either side sees the offsets in force before and after any nearby transition.
  const offsets = new Set([
    offsetAt(timezone, wall - DAY),
    offsetAt(timezone, wall),
    offsetAt(timezone, wall + DAY),
  ])
  const exact = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => wallTime(timezone, instant) === wall)
  if (exact.length > 0) return Math.min(...exact)
  // In a gap: the clock reads before `wall` at `low` and after it at `high`; the transition,
  // where it jumps over, lies between. Binary search to the second.
  let low = wall - Math.max(...offsets)
  let high = wall - Math.min(...offsets)
  while (high - low > SECOND) {
    const mid = low + Math.floor((high - low) / 2 / SECOND) * SECOND
    if (wallTime(timezone, mid) >= wall) high = mid
    else low = mid
  }
  return high
}

/** The wall time's calendar date, `2026-11-26`. */
export function isoDate(wall: WallTime): string {
  return new Date(wall).toISOString().slice(0, 10)
}
