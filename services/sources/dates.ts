/**
 * Strict date parsing. `new Date(text)` accepts almost anything, rolls 2026-02-30 over to
 * March, and reads an ISO time without offset as local time; a paper date must not depend on
 * the server's time zone, so the two formats the sources use are parsed by hand.
 */

export type DateResult = { ok: true; date: Date } | { ok: false; reason: string }

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i
// RFC 822/2822 as in RSS pubDate: "Mon, 27 Apr 2026 00:00:00 -0400". The weekday is ignored:
// feeds get it wrong and the date itself says which day it is.
const RFC822 =
  /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2}|\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})?$/
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const ZONES: Record<string, number> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
}

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === '') return 0
  const named = ZONES[zone.toUpperCase()]
  if (named !== undefined) return named
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
  if (!m) return null
  const [, sign, hh = '', mm = ''] = m
  const hours = Number(hh)
  const minutes = Number(mm)
  if (hours > 14 || minutes > 59) return null
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes)
}

interface Parts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  ms: number
  zone: string | undefined
}

function build(p: Parts): Date | null {
  const offset = offsetMinutes(p.zone)
  if (offset === null) return null
  if (p.year < 1000 || p.month < 1 || p.month > 12 || p.day < 1) return null
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return null
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate()
  if (p.day > daysInMonth) return null
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms)
  return new Date(utc - offset * 60_000)
}

function fromIso(text: string): Date | null {
  const m = ISO.exec(text)
  if (!m) return null
  const [, y = '', mo = '', d = '', h, mi, s, frac, zone] = m
  return build({
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    ms: frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
    // A time without offset is taken as UTC, never as the server's local time.
    zone,
  })
}

function fromRfc822(text: string): Date | null {
  const m = RFC822.exec(text)
  if (!m) return null
  const [, d = '', mon = '', y = '', h = '', mi = '', s, zone] = m
  const month = MONTHS.indexOf(mon.toLowerCase()) + 1
  if (month === 0) return null
  const shortYear = Number(y)
  // RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx.
  const year = y.length === 2 ? (shortYear < 50 ? 2000 : 1900) + shortYear : shortYear
  return build({
    year,
    month,
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
    ms: 0,
    zone,
  })
}

/** Parses an ISO 8601 or RFC 822 date; anything else, or an impossible date, is an error. */
export function parseDate(raw: string, field: string): DateResult {
  const text = raw.trim()
  const date = fromIso(text) ?? fromRfc822(text)
  if (date === null || Number.isNaN(date.getTime())) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text
    return { ok: false, reason: `${field} is not a valid date: ${JSON.stringify(shown)}` }
  }
  return { ok: true, date }
}
