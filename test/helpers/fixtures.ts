import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Fixtures live in ../shared/fixtures beside the repo, locally and in CI.
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url)

/** Absolute path of a shared fixture file. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(name, FIXTURES))
}

/** A shared fixture as UTF-8 text. */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8')
}

/** A shared fixture's bytes, exactly as committed. */
export function readFixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name))
}
