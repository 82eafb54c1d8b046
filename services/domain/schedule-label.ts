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

/**
 * "daily at 08:00 (Europe/Paris)", "weekly on Monday at 08:00 (UTC)" or "after each arXiv
 * announcement, at 08:00 (UTC)", for emails and pages.
 */
export function describeSchedule(s: {
  frequency: Frequency
  weekday: Weekday
  hour: number
  timezone: string
}): string {
  const time = `${String(s.hour).padStart(2, '0')}:00`
  switch (s.frequency) {
    case 'daily':
      return `daily at ${time} (${s.timezone})`
    case 'weekly':
      return `weekly on ${DAY_NAMES[s.weekday]} at ${time} (${s.timezone})`
    case 'announcements':
      return `after each arXiv announcement, at ${time} (${s.timezone})`
  }
}
