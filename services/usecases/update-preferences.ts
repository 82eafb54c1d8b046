import type { Database } from '../db/client.js'
import { replaceMutes } from '../db/repositories/mutes.js'
import { updatePreferences as savePreferences } from '../db/repositories/subscribers.js'
import { listTopics } from '../db/repositories/topics.js'
import { checkMuteLines } from '../domain/mutes.js'
import { type Checked, checkPreferences, type Preferences } from '../domain/preferences.js'

/**
 * The preference centre's form, saved: every field is checked against the rules and the
 * topics there are now, and nothing is saved unless all of it is valid (each problem is
 * reported under its field). Saved preferences apply from the next digest on; new interest
 * lines count from when they were written. `muted`, when the form has the muted terms, replaces
 * them in the same transaction.
 */
export async function updatePreferences(
  deps: { readonly db: Database; readonly now: () => Date },
  subscriberId: number,
  form: unknown,
  muted?: readonly string[],
): Promise<Checked<Preferences>> {
  const topics = await listTopics(deps.db)
  const checked = checkPreferences(form, new Set(topics.map((t) => t.slug)))
  const mutes = muted === undefined ? undefined : checkMuteLines(muted)
  if (mutes && !mutes.ok) {
    return { ok: false, errors: { ...(checked.ok ? {} : checked.errors), muted: mutes.error } }
  }
  if (!checked.ok) return checked
  const now = deps.now()
  await deps.db.transaction(async (tx) => {
    // A transaction is a database: the nested one in savePreferences becomes a savepoint.
    await savePreferences(tx, subscriberId, checked.value, now)
    if (mutes) await replaceMutes(tx, subscriberId, mutes.terms, now)
  })
  return checked
}
