// Turns the typed form state into the flat, pre-decided shape the templates need, so the
// templates stay logic-less (no helpers comparing values) and every choice here is unit-testable.

import type { Frequency, Weekday } from '../../domain/preferences.js'

export interface TopicOption {
  slug: string
  name: string
  description: string
}

export interface SubscriptionValues {
  email: string
  topics: string[]
  /** Raw textarea content, one interest per line, re-shown exactly as typed. */
  interests: string
  frequency: Frequency
  weekday: Weekday
  hour: number
  timezone: string
}

/** Field name -> message; several messages for one field may be separated by newlines. */
export interface FieldErrors {
  [field: string]: string
}

interface Option {
  value: string
  label: string
  selected: boolean
}

interface FieldView {
  id: string
  messages: string[]
  errorId: string
  describedBy: string
}

interface SummaryItem {
  label: string
  message: string
  href: string | null
}

/** Fields in page order; ids are what the error summary links to. */
const FIELDS = [
  { name: 'email', id: 'email', label: 'Email address', help: true },
  { name: 'topics', id: 'topics', label: 'Topics', help: false },
  { name: 'interests', id: 'interests', label: 'Interests', help: true },
  { name: 'frequency', id: 'frequency', label: 'How often', help: false },
  { name: 'weekday', id: 'weekday', label: 'Day', help: false },
  { name: 'hour', id: 'hour', label: 'Time', help: false },
  { name: 'timezone', id: 'timezone', label: 'Time zone', help: true },
  { name: 'muted', id: 'muted', label: 'Muted', help: true },
  { name: 'confirm', id: 'delete-confirm', label: 'Delete all my data', help: false },
] as const

const WEEKDAYS: readonly [Weekday, string][] = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
]

const FREQUENCIES: readonly [Frequency, string][] = [
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['announcements', 'On arXiv announcement days'],
]

// Suggestions for the time zone field, so people without JavaScript need not type a zone from memory.
const TIMEZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]

/** Everything the shared subscription-fields partial reads. */
export function formView(topics: TopicOption[], values: SubscriptionValues, errors: FieldErrors) {
  const checked = new Set(values.topics)
  return {
    values,
    fields: fieldViews(errors),
    errorSummary: errorSummary(errors),
    topics: topics.map((t) => ({
      ...t,
      id: `topic-${t.slug}`,
      descriptionId: `topic-${t.slug}-description`,
      checked: checked.has(t.slug),
    })),
    frequencies: options(FREQUENCIES, values.frequency),
    weekdays: options(WEEKDAYS, values.weekday),
    hours: Array.from({ length: 24 }, (_, h) => ({
      value: String(h),
      label: `${String(h).padStart(2, '0')}:00`,
      selected: h === values.hour,
    })),
    timezones: TIMEZONES,
  }
}

function options<T extends string>(choices: readonly [T, string][], current: T): Option[] {
  return choices.map(([value, label]) => ({ value, label, selected: value === current }))
}

function messagesOf(message: string | undefined): string[] {
  if (message === undefined) return []
  return message
    .split('\n')
    .map((m) => m.trim())
    .filter((m) => m !== '')
}

function fieldViews(errors: FieldErrors): Record<string, FieldView> {
  const views: Record<string, FieldView> = {}
  for (const field of FIELDS) {
    const messages = messagesOf(errors[field.name])
    const errorId = `${field.id}-error`
    const describedBy = [field.help ? `${field.id}-help` : '', messages.length > 0 ? errorId : '']
    views[field.name] = {
      id: field.id,
      messages,
      errorId,
      describedBy: describedBy.filter((id) => id !== '').join(' '),
    }
  }
  return views
}

/** Known fields first, in page order and linked to their input; anything else (a form-wide problem) last, unlinked. */
export function errorSummary(errors: FieldErrors): SummaryItem[] {
  const items: SummaryItem[] = []
  for (const field of FIELDS) {
    for (const message of messagesOf(errors[field.name])) {
      items.push({ label: field.label, message, href: `#${field.id}` })
    }
  }
  const known = new Set<string>(FIELDS.map((f) => f.name))
  for (const [name, message] of Object.entries(errors)) {
    if (known.has(name)) continue
    for (const m of messagesOf(message)) items.push({ label: '', message: m, href: null })
  }
  return items
}
