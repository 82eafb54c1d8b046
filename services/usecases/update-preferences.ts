import type { Database } from '../db/client.js'
import { updatePreferences as savePreferences } from '../db/repositories/subscribers.js'
import { listTopics } from '../db/repositories/topics.js'
import { type Checked, checkPreferences, type Preferences } from '../domain/preferences.js'

/**
 * The preference centre's form, saved: every field is checked against the rules and the
 * topics there are now, and nothing is saved unless all of it is valid (each problem is
 * reported under its field). Saved preferences apply from the next digest on; new interest
 * lines count from when they were written.
 */
export async function updatePreferences(
  deps: { readonly db: Database; readonly now: () => Date },
  subscriberId: number,
  form: unknown,
): Promise<Checked<Preferences>> {
  const topics = await listTopics(deps.db)
  const checked = checkPreferences(form, new Set(topics.map((t) => t.slug)))
  if (checked.ok) await savePreferences(deps.db, subscriberId, checked.value, deps.now())
  return checked
}
