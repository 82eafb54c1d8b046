import {
  ANNOUNCEMENT_PERIOD_PREFIX,
  type AnnouncementCalendar,
  ARXIV_CALENDAR,
  announcementBefore,
  announcementFrom,
} from './announcements.js'
import type { Frequency, Weekday } from './preferences.js'
import {
  DAY,
  formatterFor,
  HOUR,
  instantOf,
  isoDate,
  type WallTime,
  wallTime,
} from './wall-clock.js'

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
export function nextSendTime(
  schedule: DeliverySchedule,
  after: Date,
  calendar: AnnouncementCalendar = ARXIV_CALENDAR,
): Date {
  checkSchedule(schedule, after)
  if (schedule.frequency === 'announcements')
    return nextAfterAnnouncement(schedule, after, calendar)
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

/**
 * "On announcement days": the subscriber's first hour strictly after each announcement, so
 * days without one (a Friday, a Saturday, a holiday) bring nothing. An hour that falls exactly
 * on the announcement is too early (its papers are not in yet): that announcement's digest goes
 * at the same hour a day later. Announcements close enough together (the source's clock moving
 * an hour) may share one send.
 */
function nextAfterAnnouncement(
  schedule: DeliverySchedule,
  after: Date,
  calendar: AnnouncementCalendar,
): Date {
  const daily: DeliverySchedule = { ...schedule, frequency: 'daily' }
  // The latest announcement's send may still be ahead (announced at 20:00, sent at 21:00).
  const pending = nextSendTime(daily, announcementBefore(calendar, after).at)
  if (pending.getTime() > after.getTime()) return pending
  return nextSendTime(daily, announcementFrom(calendar, after).at)
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
 * daily schedules, the ISO week (`2026-W48`) of the local date for weekly ones, and for
 * announcement days the source's date of the announcement it follows (`arxiv-2026-11-26`). Two sends in
 * one period share the key, which is what lets a job id say "at most one email per period"
 * (no `:`, so it is safe in BullMQ ids). Pass the scheduled instant from nextSendTime, not the
 * time a delayed job happens to run.
 */
export function periodKey(
  schedule: DeliverySchedule,
  sendAt: Date,
  calendar: AnnouncementCalendar = ARXIV_CALENDAR,
): string {
  checkSchedule(schedule, sendAt)
  if (schedule.frequency === 'announcements') {
    return `${ANNOUNCEMENT_PERIOD_PREFIX}${announcementBefore(calendar, sendAt).date}`
  }
  const local = wallTime(schedule.timezone, sendAt.getTime())
  return schedule.frequency === 'daily' ? isoDate(local) : isoWeek(local)
}
