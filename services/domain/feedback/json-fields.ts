import { UnreadableReportError } from './types.js'

// Reading a provider's JSON, each miss named by where it is: `Message.bounce: expected a JSON object`.

export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableReportError(`${where}: expected a JSON object`)
  return value as Record<string, unknown>
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new UnreadableReportError(`${where}: expected a list`)
  return value
}

export function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '')
    throw new UnreadableReportError(`${where}: expected a non-empty string`)
  return value
}
