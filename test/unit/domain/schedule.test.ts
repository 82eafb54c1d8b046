import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Weekday } from '../../../services/domain/preferences.js'
import {
  type DeliverySchedule,
  nextSendTime,
  periodKey,
} from '../../../services/domain/schedule.js'

const daily = (timezone: string, hour: number): DeliverySchedule => ({
  frequency: 'daily',
  weekday: 'mon',
  hour,
  timezone,
})
const weekly = (timezone: string, weekday: Weekday, hour: number): DeliverySchedule => ({
  frequency: 'weekly',
  weekday,
  hour,
  timezone,
})

const next = (schedule: DeliverySchedule, after: string) =>
  nextSendTime(schedule, new Date(after)).toISOString()

/** The wall clock in `timezone`, as "2026-03-29 03:00". */
function localClock(timezone: string, instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

describe('nextSendTime: ordinary days', () => {
  it('is later today when the hour has not come yet, tomorrow otherwise', () => {
    expect(next(daily('UTC', 8), '2026-05-12T07:59:59Z')).toBe('2026-05-12T08:00:00.000Z')
    expect(next(daily('UTC', 8), '2026-05-12T08:30:00Z')).toBe('2026-05-13T08:00:00.000Z')
  })

  it('is strictly after `after`: sending at 08:00 schedules the next one for tomorrow', () => {
    expect(next(daily('UTC', 8), '2026-05-12T08:00:00Z')).toBe('2026-05-13T08:00:00.000Z')
    expect(next(daily('UTC', 8), '2026-05-12T07:59:59.999Z')).toBe('2026-05-12T08:00:00.000Z')
  })

  it('uses half-hour offsets (Asia/Kolkata is +05:30)', () => {
    expect(next(daily('Asia/Kolkata', 8), '2026-01-01T00:00:00Z')).toBe('2026-01-01T02:30:00.000Z')
    // 23:00 IST is 17:30 UTC; just after it, the next one is a day later.
    expect(next(daily('Asia/Kolkata', 23), '2026-01-01T17:30:00Z')).toBe('2026-01-02T17:30:00.000Z')
  })

  it('handles hour 0 and hour 23 around local midnight', () => {
    // 23:30 in Paris on 2026-06-10 is 21:30 UTC: midnight is half an hour away.
    expect(next(daily('Europe/Paris', 0), '2026-06-10T21:30:00Z')).toBe('2026-06-10T22:00:00.000Z')
    // Just after 23:00 local the next 23:00 is tomorrow's.
    expect(next(daily('Europe/Paris', 23), '2026-06-10T21:00:00Z')).toBe('2026-06-11T21:00:00.000Z')
    // The local date, not the UTC date, decides: it is already the 11th in Tokyo.
    expect(next(daily('Asia/Tokyo', 0), '2026-06-10T15:00:01Z')).toBe('2026-06-11T15:00:00.000Z')
  })

  it('crosses the year boundary', () => {
    expect(next(daily('America/New_York', 9), '2026-12-31T15:00:00Z')).toBe(
      '2027-01-01T14:00:00.000Z',
    )
    // Thursday 2026-12-31 → Monday 2027-01-04, 08:00 in Auckland (summer, +13).
    expect(next(weekly('Pacific/Auckland', 'mon', 8), '2026-12-30T20:00:00Z')).toBe(
      '2027-01-03T19:00:00.000Z',
    )
  })

  it('refuses an unknown zone or a bad hour', () => {
    expect(() => nextSendTime(daily('Mars/Olympus', 8), new Date())).toThrow(/time zone/)
    expect(() => nextSendTime(daily('UTC', 24), new Date())).toThrow(/hour/)
    expect(() => nextSendTime(daily('UTC', 1.5), new Date())).toThrow(/hour/)
    expect(() => nextSendTime(daily('UTC', 8), new Date(Number.NaN))).toThrow(/date/)
  })
})

describe('nextSendTime: daylight saving', () => {
  it('Europe/Paris spring forward (2026-03-29): 02:00 does not exist, send at 03:00', () => {
    const at = nextSendTime(daily('Europe/Paris', 2), new Date('2026-03-28T12:00:00Z'))
    expect(at.toISOString()).toBe('2026-03-29T01:00:00.000Z')
    expect(localClock('Europe/Paris', at)).toBe('2026-03-29 03:00')
    // The other hours that day keep their own wall time, now at +02:00.
    expect(next(daily('Europe/Paris', 8), '2026-03-28T12:00:00Z')).toBe('2026-03-29T06:00:00.000Z')
    expect(next(daily('Europe/Paris', 1), '2026-03-28T12:00:00Z')).toBe('2026-03-29T00:00:00.000Z')
    // The day after, 02:00 exists again.
    expect(next(daily('Europe/Paris', 2), '2026-03-29T01:00:00Z')).toBe('2026-03-30T00:00:00.000Z')
  })

  it('Europe/Paris fall back (2026-10-25): 02:00 happens twice, send at the first only', () => {
    expect(next(daily('Europe/Paris', 2), '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:00:00.000Z')
    // After the first 02:00 (CEST), the second one (CET, an hour later) is not a send time.
    expect(next(daily('Europe/Paris', 2), '2026-10-25T00:00:00Z')).toBe('2026-10-26T01:00:00.000Z')
    expect(next(daily('Europe/Paris', 8), '2026-10-24T12:00:00Z')).toBe('2026-10-25T07:00:00.000Z')
  })

  it('America/New_York spring forward (2026-03-08): 02:00 is skipped, send at 03:00 EDT', () => {
    const at = nextSendTime(daily('America/New_York', 2), new Date('2026-03-07T12:00:00Z'))
    expect(at.toISOString()).toBe('2026-03-08T07:00:00.000Z')
    expect(localClock('America/New_York', at)).toBe('2026-03-08 03:00')
    // 08:00 EST on the 7th was 13:00 UTC; 08:00 EDT on the 8th is 12:00 UTC.
    expect(next(daily('America/New_York', 8), '2026-03-07T13:00:00Z')).toBe(
      '2026-03-08T12:00:00.000Z',
    )
  })

  it('America/New_York fall back (2026-11-01): 01:00 happens twice, send at the EDT one', () => {
    expect(next(daily('America/New_York', 1), '2026-10-31T12:00:00Z')).toBe(
      '2026-11-01T05:00:00.000Z',
    )
    expect(next(daily('America/New_York', 1), '2026-11-01T05:00:00Z')).toBe(
      '2026-11-02T06:00:00.000Z',
    )
    expect(next(daily('America/New_York', 8), '2026-10-31T12:00:00Z')).toBe(
      '2026-11-01T13:00:00.000Z',
    )
  })

  it('Australia/Lord_Howe moves its clocks by 30 minutes', () => {
    // 2026-10-04: 02:00 (+10:30) jumps to 02:30 (+11). Hour 2 is in the gap: send at 02:30.
    const spring = nextSendTime(daily('Australia/Lord_Howe', 2), new Date('2026-10-03T00:00:00Z'))
    expect(spring.toISOString()).toBe('2026-10-03T15:30:00.000Z')
    expect(localClock('Australia/Lord_Howe', spring)).toBe('2026-10-04 02:30')
    expect(next(daily('Australia/Lord_Howe', 3), '2026-10-03T00:00:00Z')).toBe(
      '2026-10-03T16:00:00.000Z',
    )
    // 2026-04-05: 02:00 (+11) falls back to 01:30 (+10:30). 01:00 and 02:00 each happen once.
    expect(next(daily('Australia/Lord_Howe', 1), '2026-04-04T00:00:00Z')).toBe(
      '2026-04-04T14:00:00.000Z',
    )
    expect(next(daily('Australia/Lord_Howe', 2), '2026-04-04T00:00:00Z')).toBe(
      '2026-04-04T15:30:00.000Z',
    )
  })

  it('weekly: keeps the local hour across a change', () => {
    // Sunday 08:00 in Paris: +02:00 on 2026-10-18, +01:00 a week later.
    const first = nextSendTime(weekly('Europe/Paris', 'sun', 8), new Date('2026-10-14T00:00:00Z'))
    expect(first.toISOString()).toBe('2026-10-18T06:00:00.000Z')
    const second = nextSendTime(weekly('Europe/Paris', 'sun', 8), first)
    expect(second.toISOString()).toBe('2026-10-25T07:00:00.000Z')
    expect(second.getTime() - first.getTime()).toBe((7 * 24 + 1) * 3600_000)
    // New York, Sunday 2026-03-08 at 02:00 (skipped): 03:00 EDT.
    expect(next(weekly('America/New_York', 'sun', 2), '2026-03-02T00:00:00Z')).toBe(
      '2026-03-08T07:00:00.000Z',
    )
  })

  it('weekly: on the chosen local weekday, even when UTC is on another day', () => {
    // Monday 07:00 in Kolkata is Monday 01:30 UTC; Monday 06:00 in Auckland is Sunday in UTC.
    expect(next(weekly('Asia/Kolkata', 'mon', 7), '2026-05-12T00:00:00Z')).toBe(
      '2026-05-18T01:30:00.000Z',
    )
    expect(next(weekly('Pacific/Auckland', 'mon', 6), '2026-05-12T00:00:00Z')).toBe(
      '2026-05-17T18:00:00.000Z',
    )
    // The day itself, before the hour, counts.
    expect(next(weekly('UTC', 'tue', 9), '2026-05-12T08:00:00Z')).toBe('2026-05-12T09:00:00.000Z')
  })
})

const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'America/St_Johns',
  'Africa/Casablanca',
]
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

const schedules = fc.record({
  frequency: fc.constantFrom('daily' as const, 'weekly' as const),
  weekday: fc.constantFrom(...WEEKDAYS),
  hour: fc.integer({ min: 0, max: 23 }),
  timezone: fc.constantFrom(...ZONES),
})
const instants = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) })
  .map((ms) => new Date(ms))

describe('nextSendTime: properties', () => {
  it('is after `after`, within 8 days, at hour:00 local unless the hour was skipped', () => {
    fc.assert(
      fc.property(schedules, instants, (schedule, after) => {
        const at = nextSendTime(schedule, after)
        expect(at.getTime()).toBeGreaterThan(after.getTime())
        expect(at.getTime() - after.getTime()).toBeLessThanOrEqual(8 * 24 * 3600_000)
        const clock = localClock(schedule.timezone, at)
        const due = `${clock.slice(0, 10)} ${String(schedule.hour).padStart(2, '0')}:00`
        if (clock !== due) {
          // Only in a gap: a second earlier the clock read before hour:00, now it reads after.
          expect(clock > due).toBe(true)
          expect(localClock(schedule.timezone, new Date(at.getTime() - 1000)) < due).toBe(true)
        }
        if (schedule.frequency === 'weekly' && clock === due) {
          const weekday = new Intl.DateTimeFormat('en-US', {
            timeZone: schedule.timezone,
            weekday: 'short',
          })
            .format(at)
            .toLowerCase()
          expect(weekday).toBe(schedule.weekday)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('is the first such instant: nothing in between is a send time', () => {
    fc.assert(
      fc.property(schedules, instants, (schedule, after) => {
        const at = nextSendTime(schedule, after)
        // Asking again from just before the answer gives the same answer.
        expect(nextSendTime(schedule, new Date(at.getTime() - 1)).getTime()).toBe(at.getTime())
        // And from anywhere between `after` and it.
        const between = new Date((after.getTime() + at.getTime()) / 2)
        expect(nextSendTime(schedule, between).getTime()).toBe(at.getTime())
      }),
      { numRuns: 300 },
    )
  })

  it('gives consecutive sends different period keys, and a key never has a colon', () => {
    fc.assert(
      fc.property(schedules, instants, (schedule, after) => {
        const first = nextSendTime(schedule, after)
        const second = nextSendTime(schedule, first)
        const key = periodKey(schedule, first)
        expect(key).not.toContain(':')
        expect(key).toMatch(/^\d{4}-(\d{2}-\d{2}|W\d{2})$/)
        expect(periodKey(schedule, second)).not.toBe(key)
      }),
      { numRuns: 300 },
    )
  })
})

describe('periodKey', () => {
  it('is the local date for daily schedules', () => {
    // 23:30 UTC on the 27th is already the 28th in Paris.
    expect(periodKey(daily('Europe/Paris', 0), new Date('2026-11-27T23:30:00Z'))).toBe('2026-11-28')
    expect(periodKey(daily('America/New_York', 20), new Date('2026-11-28T01:00:00Z'))).toBe(
      '2026-11-27',
    )
  })

  it('is the ISO week of the local date for weekly schedules', () => {
    expect(periodKey(weekly('UTC', 'sat', 8), new Date('2026-11-28T08:00:00Z'))).toBe('2026-W48')
    // 2026-12-31 is a Thursday: week 53 of 2026. 2027-01-01 (Friday) is still in it.
    expect(periodKey(weekly('UTC', 'fri', 8), new Date('2027-01-01T08:00:00Z'))).toBe('2026-W53')
    // 2024-12-30 (Monday) belongs to week 1 of 2025.
    expect(periodKey(weekly('UTC', 'mon', 8), new Date('2024-12-30T08:00:00Z'))).toBe('2025-W01')
    // Monday 06:00 in Auckland is Sunday in UTC, but the week is the subscriber's.
    expect(periodKey(weekly('Pacific/Auckland', 'mon', 6), new Date('2026-05-17T18:00:00Z'))).toBe(
      '2026-W21',
    )
  })

  it('gives both sends of a day the same key when someone moves their hour later', () => {
    const morning = nextSendTime(daily('Europe/Paris', 8), new Date('2026-06-10T00:00:00Z'))
    const evening = nextSendTime(daily('Europe/Paris', 20), morning)
    expect(periodKey(daily('Europe/Paris', 20), evening)).toBe(
      periodKey(daily('Europe/Paris', 8), morning),
    )
  })
})
