import { describe, expect, it } from 'vitest'
import {
  type AnnouncementCalendar,
  ARXIV_CALENDAR,
  arxivCalendar,
  parseHolidays,
} from '../../../services/domain/announcements.js'
import {
  type DeliverySchedule,
  nextSendTime,
  periodKey,
} from '../../../services/domain/schedule.js'
import { describeSchedule } from '../../../services/domain/schedule-label.js'

// "On announcement days": the subscriber's hour, in their zone, first after each announcement
// (Sunday to Thursday, 20:00 America/New_York, not on a holiday). A fixed calendar, so these
// hold whatever arXiv publishes next.

/** Wednesday 2026-06-17 is a holiday here; nothing else is. */
const CALENDAR: AnnouncementCalendar = {
  timezone: 'America/New_York',
  hour: 20,
  weekdays: new Set([0, 1, 2, 3, 4]),
  holidays: new Set(['2026-06-17']),
}

const onAnnouncements = (timezone: string, hour: number): DeliverySchedule => ({
  frequency: 'announcements',
  weekday: 'mon',
  hour,
  timezone,
})

/** Every send from `from` up to `until`, with its period, as the scheduler would take them. */
function sends(
  schedule: DeliverySchedule,
  from: string,
  until: string,
  calendar: AnnouncementCalendar = CALENDAR,
): string[] {
  const found: string[] = []
  let at = nextSendTime(schedule, new Date(from), calendar)
  while (at < new Date(until)) {
    found.push(`${at.toISOString()} ${periodKey(schedule, at, calendar)}`)
    at = nextSendTime(schedule, at, calendar)
  }
  return found
}

describe('digests on announcement days', () => {
  it('come the evening of each announcement in New York; Friday, Saturday and a holiday bring nothing', () => {
    // 21:00 EDT is 01:00 UTC the next day.
    expect(
      sends(onAnnouncements('America/New_York', 21), '2026-06-13T12:00Z', '2026-06-21T12:00Z'),
    ).toEqual([
      '2026-06-15T01:00:00.000Z arxiv-2026-06-14',
      '2026-06-16T01:00:00.000Z arxiv-2026-06-15',
      '2026-06-17T01:00:00.000Z arxiv-2026-06-16',
      // Wednesday 2026-06-17 is a holiday: no announcement, no digest on the 18th (UTC).
      '2026-06-19T01:00:00.000Z arxiv-2026-06-18',
    ])
  })

  it('at an hour exactly on the announcement, go a day later (the papers are not in yet)', () => {
    expect(
      sends(onAnnouncements('America/New_York', 20), '2026-06-13T12:00Z', '2026-06-21T12:00Z'),
    ).toEqual([
      '2026-06-16T00:00:00.000Z arxiv-2026-06-14',
      '2026-06-17T00:00:00.000Z arxiv-2026-06-15',
      '2026-06-18T00:00:00.000Z arxiv-2026-06-16',
      '2026-06-20T00:00:00.000Z arxiv-2026-06-18',
    ])
    // 17:00 in Los Angeles is the same instant.
    expect(
      sends(onAnnouncements('America/Los_Angeles', 17), '2026-06-13T12:00Z', '2026-06-17T12:00Z'),
    ).toEqual([
      '2026-06-16T00:00:00.000Z arxiv-2026-06-14',
      '2026-06-17T00:00:00.000Z arxiv-2026-06-15',
    ])
  })

  it('far east: in Tokyo, the morning after, on the next morning when the hour comes first', () => {
    // An announcement at 20:00 EDT is 09:00 the next day in Tokyo.
    expect(
      sends(onAnnouncements('Asia/Tokyo', 10), '2026-06-13T12:00Z', '2026-06-21T12:00Z'),
    ).toEqual([
      '2026-06-15T01:00:00.000Z arxiv-2026-06-14',
      '2026-06-16T01:00:00.000Z arxiv-2026-06-15',
      '2026-06-17T01:00:00.000Z arxiv-2026-06-16',
      '2026-06-19T01:00:00.000Z arxiv-2026-06-18',
    ])
    // At 08:00 Tokyo's clock passes the hour an hour before each announcement: a day later.
    expect(
      sends(onAnnouncements('Asia/Tokyo', 8), '2026-06-13T12:00Z', '2026-06-21T12:00Z'),
    ).toEqual([
      '2026-06-15T23:00:00.000Z arxiv-2026-06-14',
      '2026-06-16T23:00:00.000Z arxiv-2026-06-15',
      '2026-06-17T23:00:00.000Z arxiv-2026-06-16',
      '2026-06-19T23:00:00.000Z arxiv-2026-06-18',
    ])
  })

  it('far west: in Honolulu, the next morning, a Friday morning after Thursday’s', () => {
    // 20:00 EDT is 14:00 in Honolulu (no daylight saving there); 09:00 HST is 19:00 UTC.
    expect(
      sends(onAnnouncements('Pacific/Honolulu', 9), '2026-06-13T12:00Z', '2026-06-21T12:00Z'),
    ).toEqual([
      '2026-06-15T19:00:00.000Z arxiv-2026-06-14',
      '2026-06-16T19:00:00.000Z arxiv-2026-06-15',
      '2026-06-17T19:00:00.000Z arxiv-2026-06-16',
      '2026-06-19T19:00:00.000Z arxiv-2026-06-18',
    ])
  })

  it('follow New York’s clock change: Paris at 03:00 the week US daylight saving starts', () => {
    // Thursday 5 March 20:00 EST is 02:00 in Paris; Sunday 8 March 20:00 EDT is 01:00.
    expect(
      sends(onAnnouncements('Europe/Paris', 3), '2026-03-05T12:00Z', '2026-03-10T12:00Z'),
    ).toEqual([
      '2026-03-06T02:00:00.000Z arxiv-2026-03-05',
      '2026-03-09T02:00:00.000Z arxiv-2026-03-08',
      '2026-03-10T02:00:00.000Z arxiv-2026-03-09',
    ])
  })

  it('follow the subscriber’s clock change: Paris at 03:00 the week Europe moves', () => {
    // Paris springs forward on Sunday 29 March: 03:00 is 02:00 UTC before, 01:00 UTC after.
    expect(
      sends(onAnnouncements('Europe/Paris', 3), '2026-03-26T12:00Z', '2026-03-31T12:00Z'),
    ).toEqual([
      '2026-03-27T02:00:00.000Z arxiv-2026-03-26',
      '2026-03-30T01:00:00.000Z arxiv-2026-03-29',
      '2026-03-31T01:00:00.000Z arxiv-2026-03-30',
    ])
  })

  it('follow New York falling back: 21:00 there is 01:00 UTC before, 02:00 UTC after', () => {
    expect(
      sends(onAnnouncements('America/New_York', 21), '2026-10-29T12:00Z', '2026-11-03T12:00Z'),
    ).toEqual([
      '2026-10-30T01:00:00.000Z arxiv-2026-10-29',
      '2026-11-02T02:00:00.000Z arxiv-2026-11-01',
      '2026-11-03T02:00:00.000Z arxiv-2026-11-02',
    ])
  })

  it('give the send still due after an announcement to someone who arrives between the two', () => {
    // At 20:30 EDT Monday, Monday's announcement has been made and 21:00 is still ahead.
    const schedule = onAnnouncements('America/New_York', 21)
    expect(nextSendTime(schedule, new Date('2026-06-16T00:30Z'), CALENDAR).toISOString()).toBe(
      '2026-06-16T01:00:00.000Z',
    )
    // On a Saturday, the next is Sunday's announcement.
    expect(nextSendTime(schedule, new Date('2026-06-20T15:00Z'), CALENDAR).toISOString()).toBe(
      '2026-06-22T01:00:00.000Z',
    )
  })
})

describe('the schedule’s label', () => {
  it('says what announcement days mean, in emails and pages', () => {
    expect(describeSchedule(onAnnouncements('Europe/Paris', 9))).toBe(
      'after each arXiv announcement, at 09:00 (Europe/Paris)',
    )
  })
})

describe('arXiv’s calendar', () => {
  it('skips its published holidays, Thanksgiving 2026 among them', () => {
    expect(
      sends(
        onAnnouncements('America/New_York', 21),
        '2026-11-22T12:00Z',
        '2026-11-29T12:00Z',
        ARXIV_CALENDAR,
      ),
    ).toEqual([
      '2026-11-23T02:00:00.000Z arxiv-2026-11-22',
      '2026-11-24T02:00:00.000Z arxiv-2026-11-23',
      '2026-11-25T02:00:00.000Z arxiv-2026-11-24',
      '2026-11-26T02:00:00.000Z arxiv-2026-11-25',
    ])
  })

  it('takes an operator’s list: each year it names replaces that year of the built-in table', () => {
    const calendar = arxivCalendar(['2027-03-03'])
    expect(calendar.holidays.has('2027-03-03')).toBe(true)
    expect(calendar.holidays.has('2027-11-25')).toBe(false)
    expect(calendar.holidays.has('2026-11-26')).toBe(true)
  })

  it('reads a holiday list, refusing what is not a date', () => {
    expect(parseHolidays('2027-01-18, 2027-07-05\n# Labor Day\n2027-09-06')).toEqual({
      ok: true,
      dates: ['2027-01-18', '2027-07-05', '2027-09-06'],
    })
    expect(parseHolidays('2027-02-30')).toEqual({
      ok: false,
      error: '"2027-02-30" is not a date like 2027-01-18',
    })
  })
})
