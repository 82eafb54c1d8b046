import { type AnnouncementCalendar, ARXIV_CALENDAR, arxivCalendar } from './domain/announcements.js'

// The announcement calendar this process schedules by: the built-in one, or the operator's
// (ARXIV_HOLIDAYS), set once by buildServices. Kept here rather than passed down because every
// path that moves a subscriber's next send (confirming, unsubscribing, a bounce, a saved form,
// the scheduler tick) needs it, and it changes only at start-up.
let current: AnnouncementCalendar = ARXIV_CALENDAR

export function announcementCalendar(): AnnouncementCalendar {
  return current
}

export function useArxivHolidays(holidays: readonly string[]): void {
  current = holidays.length > 0 ? arxivCalendar(holidays) : ARXIV_CALENDAR
}
