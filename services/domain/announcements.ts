import { DAY, HOUR, instantOf, isoDate, type WallTime, wallTime } from './wall-clock.js'

// When a source makes new papers public. arXiv announces Sunday to Thursday at 20:00 US
// Eastern, except on its holidays; a digest "on announcement days" follows that calendar.
// Pure: a calendar is a value, injected wherever it is used.

export interface AnnouncementCalendar {
  /** The zone the source's clock runs in. */
  readonly timezone: string
  /** Local hour of every announcement. */
  readonly hour: number
  /** Local weekdays with an announcement, Date#getUTCDay numbering (0 = Sunday). */
  readonly weekdays: ReadonlySet<number>
  /** Local dates (YYYY-MM-DD) of the usual weekdays on which nothing is announced. */
  readonly holidays: ReadonlySet<string>
}

/**
 * arXiv's holidays, from its published schedule (https://info.arxiv.org/help/availability.html,
 * "On Deferred Mailings"). arXiv lists each year's dates late in the year before; a year not
 * yet published holds the US federal holidays arXiv has kept every year (New Year, Martin Luther
 * King Jr. Day, Juneteenth, Independence Day, Labor Day, Thanksgiving, Christmas), to be
 * replaced by the published list (ARXIV_HOLIDAYS, or an edit here). Fridays are listed as
 * published though nothing is announced on a Friday anyway.
 */
export const ARXIV_HOLIDAYS: Readonly<Record<string, readonly string[]>> = {
  // Published.
  '2026': [
    '2026-01-01',
    '2026-01-19',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-11-26',
    '2026-12-25',
    '2026-12-29',
    '2026-12-31',
  ],
  // Expected (not yet published): the federal holidays as observed in 2027.
  '2027': [
    '2027-01-01',
    '2027-01-18',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-11-25',
    '2027-12-24',
    '2027-12-31',
  ],
}

const ARXIV_WEEKDAYS = new Set([0, 1, 2, 3, 4])

/**
 * arXiv's calendar. `overrides` (an operator's list) replace the built-in dates of every year
 * they name, so a newly published year is given whole, and any other year is kept.
 */
export function arxivCalendar(overrides: readonly string[] = []): AnnouncementCalendar {
  const overridden = new Set(overrides.map((date) => date.slice(0, 4)))
  const builtIn = Object.entries(ARXIV_HOLIDAYS)
    .filter(([year]) => !overridden.has(year))
    .flatMap(([, dates]) => dates)
  return {
    timezone: 'America/New_York',
    hour: 20,
    weekdays: ARXIV_WEEKDAYS,
    holidays: new Set([...builtIn, ...overrides]),
  }
}

export const ARXIV_CALENDAR = arxivCalendar()

/** Period keys of announcement-day digests start with this, apart from daily and weekly keys. */
export const ANNOUNCEMENT_PERIOD_PREFIX = 'arxiv-'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * A list of holiday dates as an operator writes it: YYYY-MM-DD separated by commas, spaces or
 * new lines, `#` starting a comment. Returns the dates, or the first bad entry and why.
 */
export function parseHolidays(
  text: string,
): { ok: true; dates: string[] } | { ok: false; error: string } {
  const dates: string[] = []
  for (const entry of text.replace(/#[^\n]*/g, ' ').split(/[\s,]+/)) {
    if (entry === '') continue
    const time = DATE.test(entry) ? Date.parse(`${entry}T00:00:00Z`) : Number.NaN
    // 2027-02-30 parses (as 2 March): the date must read back as written.
    const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(entry)
    if (!valid) return { ok: false, error: `"${entry}" is not a date like 2027-01-18` }
    dates.push(entry)
  }
  return { ok: true, dates }
}

/** How far to look for an announcement: longer than any run of holidays and weekends. */
const SEARCH_DAYS = 60

function announcesOn(calendar: AnnouncementCalendar, date: WallTime): boolean {
  return calendar.weekdays.has(new Date(date).getUTCDay()) && !calendar.holidays.has(isoDate(date))
}

function startOfDay(wall: WallTime): WallTime {
  return wall - (((wall % DAY) + DAY) % DAY)
}

/** An announcement: when it happens, and its local date (which names it). */
export interface Announcement {
  readonly at: Date
  readonly date: string
}

/** The latest announcement strictly before `instant`. */
export function announcementBefore(calendar: AnnouncementCalendar, instant: Date): Announcement {
  const today = startOfDay(wallTime(calendar.timezone, instant.getTime()))
  for (let day = 0; day <= SEARCH_DAYS; day++) {
    const date = today - day * DAY
    if (!announcesOn(calendar, date)) continue
    const at = instantOf(calendar.timezone, date + calendar.hour * HOUR)
    if (at < instant.getTime()) return { at: new Date(at), date: isoDate(date) }
  }
  throw new RangeError(`no announcement in the ${SEARCH_DAYS} days before ${instant.toISOString()}`)
}

/** The first announcement at or after `instant`. */
export function announcementFrom(calendar: AnnouncementCalendar, instant: Date): Announcement {
  const today = startOfDay(wallTime(calendar.timezone, instant.getTime()))
  for (let day = -1; day <= SEARCH_DAYS; day++) {
    const date = today + day * DAY
    if (!announcesOn(calendar, date)) continue
    const at = instantOf(calendar.timezone, date + calendar.hour * HOUR)
    if (at >= instant.getTime()) return { at: new Date(at), date: isoDate(date) }
  }
  throw new RangeError(`no announcement in the ${SEARCH_DAYS} days after ${instant.toISOString()}`)
}
