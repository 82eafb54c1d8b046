import { ItemRejected } from './paper-builder.js'
import { UnreadableInputError } from './types.js'

/** Typed reads of untrusted JSON: a wrong type rejects the item and names the field. */

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UnreadableInputError(`malformed JSON: ${(error as Error).message}`)
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

/** A string field; absent or null gives null. */
export function stringField(obj: JsonObject, key: string, label = key): string | null {
  const value = obj[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') {
    throw new ItemRejected(`${label} must be a string, not ${typeName(value)}`)
  }
  return value
}

/** A number field; absent or null gives null. */
export function numberField(obj: JsonObject, key: string, label = key): number | null {
  const value = obj[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'number') {
    throw new ItemRejected(`${label} must be a number, not ${typeName(value)}`)
  }
  return value
}

/** An array-of-strings field; absent or null gives []. */
export function stringListField(obj: JsonObject, key: string, label = key): string[] {
  const value = obj[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    throw new ItemRejected(`${label} must be an array of strings, not ${typeName(value)}`)
  }
  return value.map((item, i) => {
    if (typeof item !== 'string') {
      throw new ItemRejected(`${label}[${i}] must be a string, not ${typeName(item)}`)
    }
    return item
  })
}
