import type { Frequency, Weekday } from './preferences.js'

// When a subscriber's next digest is due, computed in their own time zone with nothing but
// Intl (no date library). Pure: the same schedule and instant always give the same answer.
//
// Daylight-saving rules, decided once here so every caller agrees:
// - Gap (spring forward, `hour`:00 never shows on the clock that day): send at the first
//   instant after the gap, i.e. the transition itself. Paris on 2026-03-29 at hour 2 sends
//   at 03:00 CEST; Lord Howe on 2026-10-04 at hour 2 sends at 02:30 (its shift is 30 min).
// - Overlap (fall back, `hour`:00 shows twice): the first occurrence only. The second is
//   never a send time, so a day can never produce two digests.

export interface DeliverySchedule {
  readonly frequency: Frequency
  readonly weekday: Weekday
  /** Local hour, 0–23. */
  readonly hour: number
  /** IANA time zone name, e.g. Europe/Paris. */
  readonly timezone: string
}

const SECOND = 1000
const HOUR = 3600 * SECOND
const DAY = 24 * HOUR
// Date#getUTCDay order (0 = Sunday), so a civil date's weekday needs no table lookup beyond this.
const DAY_INDEX: Record<Weekday, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
}

/** A wall-clock reading, encoded as if it were UTC: easy to compare and to do day arithmetic on. */
type WallTime = number

// Building a DateTimeFormat costs far more than using one; a scheduler asks about the same few
// zones over and over.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timezone: string): Intl.DateTimeFormat {
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
function wallTime(timezone: string, instant: number): WallTime {
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
function instantOf(timezone: string, wall: WallTime): number {
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

function checkSchedule(schedule: DeliverySchedule, after: Date): void {
  if (!Number.isInteger(schedule.hour) || schedule.hour < 0 || schedule.hour > 23) {
    throw new RangeError(`hour must be a whole number from 0 to 23, got ${schedule.hour}`)
  }
  if (!(schedule.weekday in DAY_INDEX)) {
    throw new RangeError(`unknown weekday: ${schedule.weekday}`)
  }
  if (Number.isNaN(after.getTime())) throw new RangeError('after must be a valid date')
  formatterFor(schedule.timezone)
}

/**
 * The first instant strictly after `after` at which the subscriber's clock reads `hour`:00
 * (on `weekday` for weekly schedules), with the gap and overlap rules at the top of this file.
 * Always within 8 days of `after`.
 */
export function nextSendTime(schedule: DeliverySchedule, after: Date): Date {
  checkSchedule(schedule, after)
  const { timezone, hour } = schedule
  const localNow = wallTime(timezone, after.getTime())
  const today = localNow - (((localNow % DAY) + DAY) % DAY)
  // Starting the day before covers zones whose fall-back crosses midnight, where the clock
  // can read yesterday's date again after today's has begun.
  for (let day = -1; day <= 8; day++) {
    const date = today + day * DAY
    if (
      schedule.frequency === 'weekly' &&
      new Date(date).getUTCDay() !== DAY_INDEX[schedule.weekday]
    ) {
      continue
    }
    const instant = instantOf(timezone, date + hour * HOUR)
    if (instant > after.getTime()) return new Date(instant)
  }
  // Unreachable for real zones: every 7 days contain each weekday once.
  throw new Error(`no send time found within 8 days in ${timezone}`)
}

function isoDate(wall: WallTime): string {
  return new Date(wall).toISOString().slice(0, 10)
}

/** ISO 8601 week (`2026-W48`): weeks start on Monday and belong to the year of their Thursday. */
function isoWeek(wall: WallTime): string {
  const date = new Date(wall)
  const mondayBased = (date.getUTCDay() + 6) % 7
  const thursday = new Date(wall - (((wall % DAY) + DAY) % DAY) + (3 - mondayBased) * DAY)
  const year = thursday.getUTCFullYear()
  const dayOfYear = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY)
  const week = Math.floor(dayOfYear / 7) + 1
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`
}

/**
 * Identifies the scheduled period that `sendAt` belongs to: the local date (`2026-11-28`) for
 * daily schedules, the ISO week (`2026-W48`) of the local date for weekly ones. Two sends in
 * one period share the key, which is what lets a job id say "at most one email per period"
 * (no `:`, so it is safe in BullMQ ids). Pass the scheduled instant from nextSendTime, not the
 * time a delayed job happens to run.
 */
export function periodKey(schedule: DeliverySchedule, sendAt: Date): string {
  checkSchedule(schedule, sendAt)
  const local = wallTime(schedule.timezone, sendAt.getTime())
  return schedule.frequency === 'daily' ? isoDate(local) : isoWeek(local)
}
