import {
  DEFAULT_PREFERENCES,
  FREQUENCIES,
  interestLines,
  type Preferences,
  WEEKDAYS,
} from '../domain/preferences.js'
import type { SubscriptionValues } from './pages/page-renderer.js'

type FormBody = Record<string, string | string[] | undefined>

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/**
 * A urlencoded form as the object the JSON API would have received: the same validation
 * then applies to both. Unknown fields (a submit button's name, say) are dropped.
 */
export function formToRequest(body: unknown, withEmail: boolean): Record<string, unknown> {
  const form = (body && typeof body === 'object' ? body : {}) as FormBody
  const hour = first(form.hour)
  const topics = form.topics
  const request: Record<string, unknown> = {
    topics: topics === undefined ? [] : Array.isArray(topics) ? topics : [topics],
    interests: interestLines(first(form.interests) ?? ''),
    frequency: first(form.frequency) || undefined,
    weekday: first(form.weekday) || undefined,
    hour:
      hour === undefined || hour === '' ? undefined : /^\d{1,2}$/.test(hour) ? Number(hour) : hour,
    timezone: first(form.timezone)?.trim() || undefined,
  }
  if (withEmail) request.email = first(form.email) ?? ''
  return request
}

/** What a re-shown form holds: exactly what the person typed, so nothing they wrote is lost. */
export function formValues(body: unknown): SubscriptionValues {
  const form = (body && typeof body === 'object' ? body : {}) as FormBody
  const topics = form.topics
  const hour = Number(first(form.hour))
  return {
    email: first(form.email) ?? '',
    topics: topics === undefined ? [] : Array.isArray(topics) ? topics : [topics],
    interests: first(form.interests) ?? '',
    frequency: FREQUENCIES.find((f) => f === first(form.frequency)) ?? 'daily',
    weekday: WEEKDAYS.find((d) => d === first(form.weekday)) ?? 'mon',
    hour: Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : DEFAULT_PREFERENCES.hour,
    timezone: first(form.timezone) ?? DEFAULT_PREFERENCES.timezone,
  }
}

export function preferencesToValues(email: string, p: Preferences): SubscriptionValues {
  return {
    email,
    topics: [...p.topics],
    interests: p.interests.join('\n'),
    frequency: p.frequency,
    weekday: p.weekday,
    hour: p.hour,
    timezone: p.timezone,
  }
}
