import type { Database } from '../db/client.js'
import {
  findTopic,
  insertTopic,
  listAllTopics,
  retireTopic as markRetired,
  type Topic,
  updateTopic,
} from '../db/repositories/topics.js'
import type { FieldErrors } from '../domain/preferences.js'
import { checkNewTopic, checkTopicChanges } from '../domain/topic-definition.js'

export interface TopicAdminDeps {
  readonly db: Database
  readonly now: () => Date
  /**
   * Tells every process that topics changed (their cached names; the subscribe form and the API
   * read the database each time, and workers re-read topic lines before each batch). Never throws.
   */
  readonly announce: (slug: string) => Promise<void>
}

/** Why a change was refused; `invalid` names each bad field. */
export type TopicRefusal =
  | { readonly reason: 'invalid'; readonly message: string; readonly errors: FieldErrors }
  | {
      readonly reason: 'not-found' | 'exists' | 'built-in' | 'retired'
      readonly message: string
    }

export type TopicResult = { ok: true; topic: Topic } | { ok: false; refusal: TopicRefusal }

/** Every topic, retired ones included (with when). */
export function listManagedTopics(deps: Pick<TopicAdminDeps, 'db'>): Promise<Topic[]> {
  return listAllTopics(deps.db)
}

/** Adds a topic; it is on the form, in the API and matching new papers at once. */
export async function addTopic(deps: TopicAdminDeps, raw: unknown): Promise<TopicResult> {
  const checked = checkNewTopic(raw)
  if (!checked.ok) return invalid(checked.errors)
  const { slug } = checked.value
  if (!(await insertTopic(deps.db, checked.value, deps.now()))) {
    const existing = await findTopic(deps.db, slug)
    return refused(
      'exists',
      existing?.retiredAt
        ? `topic "${slug}" exists and is retired; a slug is never reused (its followers still refer to it), choose another`
        : `topic "${slug}" already exists; edit it instead`,
    )
  }
  return changed(deps, slug)
}

/** Changes a topic's name, description or interest lines (the lines are replaced as a whole). */
export async function editTopic(
  deps: TopicAdminDeps,
  slug: string,
  raw: unknown,
): Promise<TopicResult> {
  const current = await modifiable(deps.db, slug)
  if ('reason' in current) return { ok: false, refusal: current }
  const checked = checkTopicChanges(raw)
  if (!checked.ok) return invalid(checked.errors)
  if (!(await updateTopic(deps.db, slug, checked.value, deps.now()))) {
    // Retired meanwhile by someone else.
    return { ok: false, refusal: notModifiable(await findTopic(deps.db, slug), slug) }
  }
  return changed(deps, slug)
}

/**
 * Retires a topic: it leaves the form and the API and matches no new paper. Its followers keep
 * it until they next save their preferences (the preference centre says it is retired), and
 * their next digest still brings what it matched before.
 */
export async function retireTopic(deps: TopicAdminDeps, slug: string): Promise<TopicResult> {
  const current = await modifiable(deps.db, slug)
  if ('reason' in current) return { ok: false, refusal: current }
  if (!(await markRetired(deps.db, slug, deps.now()))) {
    return { ok: false, refusal: notModifiable(await findTopic(deps.db, slug), slug) }
  }
  return changed(deps, slug)
}

async function modifiable(db: Database, slug: string): Promise<Topic | TopicRefusal> {
  const topic = await findTopic(db, slug)
  return topic && !topic.builtIn && !topic.retiredAt ? topic : notModifiable(topic, slug)
}

function notModifiable(topic: Topic | undefined, slug: string): TopicRefusal {
  if (!topic) return { reason: 'not-found', message: `no topic "${slug}"` }
  if (topic.builtIn) {
    return {
      reason: 'built-in',
      message: `topic "${slug}" is built in (computed, not matched): it cannot be edited or retired`,
    }
  }
  return { reason: 'retired', message: `topic "${slug}" is retired; it can no longer be changed` }
}

async function changed(deps: TopicAdminDeps, slug: string): Promise<TopicResult> {
  await deps.announce(slug)
  const topic = await findTopic(deps.db, slug)
  if (!topic) throw new Error(`topic "${slug}" vanished after it was saved`)
  return { ok: true, topic }
}

function invalid(errors: FieldErrors): TopicResult {
  const named = Object.entries(errors).map(([field, message]) => `${field}: ${message}`)
  return { ok: false, refusal: { reason: 'invalid', message: named.join('; '), errors } }
}

function refused(reason: 'exists', message: string): TopicResult {
  return { ok: false, refusal: { reason, message } }
}

/** A topic as the API and the CLI show it (plain JSON: it also travels in a job). */
export interface TopicView {
  readonly slug: string
  readonly name: string
  readonly description: string
  readonly builtIn: boolean
  readonly interests: string[]
  readonly updatedAt: string
  readonly retiredAt: string | null
}

export function topicView(topic: Topic): TopicView {
  return {
    slug: topic.slug,
    name: topic.name,
    description: topic.description,
    builtIn: topic.builtIn,
    interests: [...topic.interests],
    updatedAt: topic.updatedAt.toISOString(),
    retiredAt: topic.retiredAt?.toISOString() ?? null,
  }
}

/** One `paperboy topics` command, run here or handed to the server that holds the database. */
export type TopicAction =
  | { readonly kind: 'list' }
  | { readonly kind: 'add'; readonly body: Record<string, unknown> }
  | { readonly kind: 'edit'; readonly slug: string; readonly body: Record<string, unknown> }
  | { readonly kind: 'retire'; readonly slug: string }

export type TopicActionResult =
  | { readonly ok: true; readonly topics: TopicView[] }
  | { readonly ok: false; readonly refusal: TopicRefusal }

export async function runTopicAction(
  deps: TopicAdminDeps,
  action: TopicAction,
): Promise<TopicActionResult> {
  if (action.kind === 'list') {
    return { ok: true, topics: (await listManagedTopics(deps)).map(topicView) }
  }
  const result =
    action.kind === 'add'
      ? await addTopic(deps, action.body)
      : action.kind === 'edit'
        ? await editTopic(deps, action.slug, action.body)
        : await retireTopic(deps, action.slug)
  return result.ok ? { ok: true, topics: [topicView(result.topic)] } : result
}
