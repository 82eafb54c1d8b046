import type { Frequency, Weekday } from './preferences.js'

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
}

/** "daily at 08:00 (Europe/Paris)" or "weekly on Monday at 08:00 (UTC)", for emails and pages. */
export function describeSchedule(s: {
  frequency: Frequency
  weekday: Weekday
  hour: number
  timezone: string
}): string {
  const time = `${String(s.hour).padStart(2, '0')}:00`
  return s.frequency === 'daily'
    ? `daily at ${time} (${s.timezone})`
    : `weekly on ${DAY_NAMES[s.weekday]} at ${time} (${s.timezone})`
}
